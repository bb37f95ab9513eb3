/**
 * One diff as the screen watches it (renderer/hooks/useJob.ts): rows read from `getDiffJob`,
 * polled while it runs; the outcome from `diffFinished` or the waiting `getDiffJob`. A new start
 * or leaving the screen closes the previous diff's stored changes.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { DiffJobStatus, StartDiffInput } from '../../../shared/diff';
import { api } from '../../api';
import { useJob, type JobWatch } from '../../hooks/useJob';

const diffWatch: JobWatch<DiffJobStatus> = {
  status: (jobId, wait) => api.getDiffJob({ jobId, wait }),
  onFinished: (listener) => api.on('diffFinished', listener),
  pollMs: 300,
  initial: (jobId) => ({ jobId, state: 'running', rowsRead: 0 }),
};

export function useDiffJob() {
  const openDiff = useRef<string>(undefined);
  const closeOpen = useCallback(() => {
    const diffId = openDiff.current;
    openDiff.current = undefined;
    if (diffId) api.closeDiff({ diffId }).catch(() => undefined);
  }, []);
  useEffect(() => closeOpen, [closeOpen]);

  const remember = useCallback((status: DiffJobStatus) => {
    if (status.summary) openDiff.current = status.summary.diffId;
  }, []);
  const { job, start, cancel } = useJob(diffWatch, remember);

  const startDiff = useCallback(
    (input: StartDiffInput) => {
      closeOpen();
      return start(() => api.startDiff(input));
    },
    [closeOpen, start],
  );

  return { job, start: startDiff, cancel };
}
