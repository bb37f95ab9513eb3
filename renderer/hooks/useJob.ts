/**
 * One long job (an upload, a snapshot, a restore, a diff) as a screen watches it: start it,
 * follow it — `jobProgress` events as they come, and the job's own status polled while it runs
 * where the feature wants more than done-of-total — cancel it, and keep its outcome, from the
 * feature's "finished" event or from the status call that waits for the end, whichever answers
 * first. A new start (or a reset) leaves the previous job's answers unheard.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/errors';
import type { JobProgress } from '../../shared/model';
import { api, toAppError } from '../api';

export interface JobStatusLike {
  jobId: string;
  /** 'running' until the job ends; then the feature's own word for how it ended. */
  state: string;
}

/** How one kind of job is asked about; module-level constants, so the hook's effects are stable. */
export interface JobWatch<S extends JobStatusLike> {
  /** The job's status now; with `wait`, once it has ended. */
  status(jobId: string, wait: boolean): Promise<S>;
  /** Subscribes to the feature's "finished" event; returns the unsubscribe. */
  onFinished(listener: (status: S) => void): () => void;
  /** Poll `status` this often while the job runs (none: events only). */
  pollMs?: number;
  /** The status to show between the start and the first answer. */
  initial?(jobId: string): S;
}

export interface JobState<S> {
  phase: 'idle' | 'starting' | 'running' | 'cancelling' | 'done';
  jobId?: string;
  status?: S;
  /** The last `jobProgress` event of the job, and when the job was started (performance.now). */
  progress?: Pick<JobProgress, 'done' | 'total' | 'unit'>;
  startedAt?: number;
  /** The job could not start, or its outcome could not be had. */
  error?: AppError;
}

export function useJob<S extends JobStatusLike>(watch: JobWatch<S>, onDone?: (status: S) => void) {
  const [state, setState] = useState<JobState<S>>({ phase: 'idle' });
  const generation = useRef(0);
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;

  // Follows one job while it runs: running → cancelling keeps the same subscription.
  const following = state.phase === 'running' || state.phase === 'cancelling';
  const followedJob = following ? state.jobId : undefined;
  useEffect(() => {
    const jobId = followedJob;
    if (!jobId) return;
    const mine = generation.current;
    const ours = (current: JobState<S>) =>
      generation.current === mine && current.jobId === jobId && current.phase !== 'done';
    const finish = (status: S) => {
      if (generation.current !== mine || status.state === 'running') return;
      onDoneRef.current?.(status);
      setState((current) => (ours(current) ? { ...current, phase: 'done', status } : current));
    };
    const update = (status: S) => {
      if (status.state !== 'running') return finish(status);
      setState((current) => (ours(current) ? { ...current, status } : current));
    };
    const timer =
      watch.pollMs === undefined
        ? undefined
        : setInterval(() => watch.status(jobId, false).then(update, () => undefined), watch.pollMs);
    const offProgress = api.on('jobProgress', (event) => {
      if (event.jobId !== jobId || event.state !== 'running') return;
      const progress = { done: event.done, total: event.total, unit: event.unit };
      setState((current) => (ours(current) ? { ...current, progress } : current));
    });
    const offFinished = watch.onFinished((status) => {
      if (status.jobId === jobId) finish(status);
    });
    watch.status(jobId, true).then(finish, (failure: unknown) => {
      const error = toAppError(failure);
      setState((current) => (ours(current) ? { ...current, phase: 'done', error } : current));
    });
    return () => {
      if (timer) clearInterval(timer);
      offProgress();
      offFinished();
    };
  }, [followedJob, watch]);

  /** Runs `begin` (the call that starts the job) and follows the job it starts. */
  const start = useCallback(
    async (begin: () => Promise<{ jobId: string }>) => {
      const mine = ++generation.current;
      const startedAt = performance.now();
      setState({ phase: 'starting', startedAt });
      try {
        const { jobId } = await begin();
        if (generation.current !== mine) return;
        const status = watch.initial?.(jobId);
        setState({ phase: 'running', jobId, startedAt, ...(status ? { status } : {}) });
      } catch (failure) {
        if (generation.current === mine) {
          setState({ phase: 'done', startedAt, error: toAppError(failure) });
        }
      }
    },
    [watch],
  );

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
