/**
 * One upload as the wizard watches it: start the job, follow it (rows, bytes, rate and time left
 * from `getIngestResult`, polled while it runs; bytes from `jobProgress` in between), cancel it,
 * and keep its final status — from `ingestFinished` when the host sends it, or from the
 * `getIngestResult({ wait: true })` call that answers when the job has ended.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { IngestPlanInput, IngestStatus } from '../../../shared/ingest';
import { api, toAppError } from '../../api';

const pollMs = 250;

export interface IngestJobState {
  phase: 'idle' | 'starting' | 'running' | 'cancelling' | 'done';
  jobId?: string;
  status?: IngestStatus;
  /** The job could not start (a plan the host refused, a read-only store…). */
  error?: AppError;
  /** The plan as started, so the summary can name its target. */
  plan?: IngestPlanInput;
}

export function useIngestJob() {
  const [state, setState] = useState<IngestJobState>({ phase: 'idle' });
  const generation = useRef(0);

  // Follows one job while it runs: running → cancelling keeps the same subscription.
  const following = state.phase === 'running' || state.phase === 'cancelling';
  const followedJob = following ? state.jobId : undefined;
  useEffect(() => {
    const jobId = followedJob;
    if (!jobId) return;
    const mine = generation.current;
    const finish = (status: IngestStatus) => {
      if (generation.current !== mine || status.state === 'running') return;
      setState((current) =>
        current.jobId === jobId ? { ...current, phase: 'done', status } : current,
      );
    };
    const update = (status: IngestStatus) => {
      if (status.state !== 'running') return finish(status);
      setState((current) =>
        current.jobId === jobId && current.phase !== 'done' ? { ...current, status } : current,
      );
    };
    const timer = setInterval(() => {
      api.getIngestResult({ jobId }).then(update, () => undefined);
    }, pollMs);
    const offProgress = api.on('jobProgress', (progress) => {
      if (progress.jobId !== jobId || progress.state !== 'running') return;
      setState((current) => {
        if (current.jobId !== jobId || !current.status || current.phase === 'done') return current;
        const previous = current.status.progress;
        const progressNow = { ...previous, bytes: progress.done, totalBytes: progress.total };
        return { ...current, status: { ...current.status, progress: progressNow } };
      });
    });
    const offFinished = api.on('ingestFinished', (status) => {
      if (status.jobId === jobId) finish(status);
    });
    api.getIngestResult({ jobId, wait: true }).then(finish, (failure: unknown) => {
      if (generation.current !== mine) return;
      setState((current) =>
        current.jobId === jobId
          ? { ...current, phase: 'done', error: toAppError(failure) }
          : current,
      );
    });
    return () => {
      clearInterval(timer);
      offProgress();
      offFinished();
    };
  }, [followedJob]);

  const start = useCallback(async (plan: IngestPlanInput) => {
    const mine = ++generation.current;
    setState({ phase: 'starting', plan });
    try {
      const { jobId } = await api.startIngest({ plan });
      if (generation.current !== mine) return;
      setState({
        phase: 'running',
        jobId,
        plan,
        status: {
          jobId,
          state: 'running',
          progress: { rows: 0, bytes: 0, totalBytes: 0, rowsPerSecond: 0, bytesPerSecond: 0 },
        },
      });
    } catch (failure) {
      if (generation.current === mine) {
        setState({ phase: 'done', plan, error: toAppError(failure) });
      }
    }
  }, []);

  const cancel = useCallback(() => {
    const jobId = state.jobId;
    if (!jobId || state.phase !== 'running') return;
    setState((current) => ({ ...current, phase: 'cancelling' }));
    api.cancelJob({ jobId }).catch(() => undefined);
  }, [state.jobId, state.phase]);

  const reset = useCallback(() => {
    generation.current++;
    setState({ phase: 'idle' });
  }, []);

  return { job: state, start, cancel, reset };
}
