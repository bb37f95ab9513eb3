/**
 * One snapshot or restore as a dialog watches it: start the job, follow its `jobProgress` events
 * (rows done of rows total; the rate is worked out here from when the job started), cancel it,
 * and keep its outcome — from `snapshotFinished` when the host sends it, or from the
 * `getVersionsJob({ wait: true })` call that answers once the job has ended.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { VersionsJobStatus } from '../../../shared/versions';
import { api, toAppError } from '../../api';

export interface VersionsProgress {
  rows: number;
  /** Rows the dataset holds (0 while unknown). */
  total: number;
  rowsPerSecond: number;
  elapsedMs: number;
}

export interface VersionsJobState {
  phase: 'idle' | 'starting' | 'running' | 'cancelling' | 'done';
  jobId?: string;
  progress?: VersionsProgress;
  status?: VersionsJobStatus;
  /** The job could not start (a read-only target, an unknown snapshot…). */
  error?: AppError;
}

export function useVersionsJob() {
  const [state, setState] = useState<VersionsJobState>({ phase: 'idle' });
  const generation = useRef(0);
  const startedAt = useRef(0);

  const following = state.phase === 'running' || state.phase === 'cancelling';
  const followedJob = following ? state.jobId : undefined;
  useEffect(() => {
    const jobId = followedJob;
    if (!jobId) return;
    const mine = generation.current;
    const finish = (status: VersionsJobStatus) => {
      if (generation.current !== mine || status.state === 'running') return;
      setState((current) =>
        current.jobId === jobId ? { ...current, phase: 'done', status } : current,
      );
    };
    const offProgress = api.on('jobProgress', (progress) => {
      if (progress.jobId !== jobId || progress.state !== 'running') return;
      const elapsedMs = Math.max(1, performance.now() - startedAt.current);
      const next: VersionsProgress = {
        rows: progress.done,
        total: progress.total,
        rowsPerSecond: (progress.done / elapsedMs) * 1000,
        elapsedMs,
      };
      setState((current) =>
        current.jobId === jobId && current.phase !== 'done'
          ? { ...current, progress: next }
          : current,
      );
    });
    const offFinished = api.on('snapshotFinished', (status) => {
      if (status.jobId === jobId) finish(status);
    });
    api.getVersionsJob({ jobId, wait: true }).then(finish, (failure: unknown) => {
      if (generation.current !== mine) return;
      setState((current) =>
        current.jobId === jobId
          ? { ...current, phase: 'done', error: toAppError(failure) }
          : current,
      );
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [followedJob]);

  /** Runs `begin` (a createSnapshot or restoreSnapshot call) and follows the job it starts. */
  const start = useCallback(async (begin: () => Promise<{ jobId: string }>) => {
    const mine = ++generation.current;
    setState({ phase: 'starting' });
    startedAt.current = performance.now();
    try {
      const { jobId } = await begin();
      if (generation.current !== mine) return;
      setState({
        phase: 'running',
        jobId,
        progress: { rows: 0, total: 0, rowsPerSecond: 0, elapsedMs: 0 },
      });
    } catch (failure) {
      if (generation.current === mine) setState({ phase: 'done', error: toAppError(failure) });
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
