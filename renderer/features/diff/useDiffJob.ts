/**
 * One diff as the screen watches it: start it, follow the rows read (`getDiffJob`, polled while it
 * runs), cancel it, and keep its outcome — from `diffFinished`, or from the
 * `getDiffJob({ wait: true })` call that answers once it has ended. A new start or leaving the
 * screen closes the previous diff's stored changes.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DiffJobStatus, StartDiffInput } from '../../../shared/diff';
import type { AppError } from '../../../shared/errors';
import { api, toAppError } from '../../api';

const pollMs = 300;

export interface DiffJobState {
  phase: 'idle' | 'running' | 'cancelling' | 'done';
  jobId?: string;
  status?: DiffJobStatus;
  error?: AppError;
  startedAt?: number;
}

export function useDiffJob() {
  const [state, setState] = useState<DiffJobState>({ phase: 'idle' });
  const generation = useRef(0);
  const openDiff = useRef<string>(undefined);

  const closeOpen = useCallback(() => {
    const diffId = openDiff.current;
    openDiff.current = undefined;
    if (diffId) api.closeDiff({ diffId }).catch(() => undefined);
  }, []);
  useEffect(() => closeOpen, [closeOpen]);

  const following = state.phase === 'running' || state.phase === 'cancelling';
  const followedJob = following ? state.jobId : undefined;
  useEffect(() => {
    const jobId = followedJob;
    if (!jobId) return;
    const mine = generation.current;
    const finish = (status: DiffJobStatus) => {
      if (generation.current !== mine || status.state === 'running') return;
      if (status.summary) openDiff.current = status.summary.diffId;
      setState((current) =>
        current.jobId === jobId ? { ...current, phase: 'done', status } : current,
      );
    };
    const update = (status: DiffJobStatus) => {
      if (status.state !== 'running') return finish(status);
      setState((current) =>
        current.jobId === jobId && current.phase !== 'done' ? { ...current, status } : current,
      );
    };
    const timer = setInterval(() => {
      api.getDiffJob({ jobId }).then(update, () => undefined);
    }, pollMs);
    const offFinished = api.on('diffFinished', (status) => {
      if (status.jobId === jobId) finish(status);
    });
    api.getDiffJob({ jobId, wait: true }).then(finish, (failure: unknown) => {
      if (generation.current !== mine) return;
      setState((current) =>
        current.jobId === jobId
          ? { ...current, phase: 'done', error: toAppError(failure) }
          : current,
      );
    });
    return () => {
      clearInterval(timer);
      offFinished();
    };
  }, [followedJob]);

  const start = useCallback(
    async (input: StartDiffInput) => {
      const mine = ++generation.current;
      closeOpen();
      const startedAt = performance.now();
      setState({ phase: 'running', startedAt });
      try {
        const { jobId } = await api.startDiff(input);
        if (generation.current !== mine) return;
        setState({
          phase: 'running',
          jobId,
          startedAt,
          status: { jobId, state: 'running', rowsRead: 0 },
        });
      } catch (failure) {
        if (generation.current === mine) setState({ phase: 'done', error: toAppError(failure) });
      }
    },
    [closeOpen],
  );

  const cancel = useCallback(() => {
    const jobId = state.jobId;
    if (!jobId || state.phase !== 'running') return;
    setState((current) => ({ ...current, phase: 'cancelling' }));
    api.cancelJob({ jobId }).catch(() => undefined);
  }, [state.jobId, state.phase]);

  return { job: state, start, cancel };
}
