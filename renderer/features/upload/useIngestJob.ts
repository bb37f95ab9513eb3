/**
 * One upload as the wizard watches it (renderer/hooks/useJob.ts): rows, bytes, rate and time left
 * from `getIngestResult`, polled while it runs, with bytes from `jobProgress` in between; the
 * outcome from `ingestFinished` or the waiting `getIngestResult`.
 */
import { useCallback, useMemo, useState } from 'react';
import type { IngestPlanInput, IngestStatus } from '../../../shared/ingest';
import { api } from '../../api';
import { useJob, type JobState, type JobWatch } from '../../hooks/useJob';

const ingestWatch: JobWatch<IngestStatus> = {
  status: (jobId, wait) => api.getIngestResult({ jobId, wait }),
  onFinished: (listener) => api.on('ingestFinished', listener),
  pollMs: 250,
  initial: (jobId) => ({
    jobId,
    state: 'running',
    progress: { rows: 0, bytes: 0, totalBytes: 0, rowsPerSecond: 0, bytesPerSecond: 0 },
  }),
};

export interface IngestJobState extends JobState<IngestStatus> {
  /** The plan as started, so the summary can name its target. */
  plan?: IngestPlanInput;
}

export function useIngestJob() {
  const { job, start, cancel, reset } = useJob(ingestWatch);
  const [plan, setPlan] = useState<IngestPlanInput>();

  const view = useMemo<IngestJobState>(() => {
    const { status, progress } = job;
    if (!status || !progress || job.phase === 'done' || progress.unit !== 'bytes') {
      return { ...job, plan };
    }
    // A progress event may be newer than the last poll.
    const bytes = Math.max(status.progress.bytes, progress.done);
    const merged = { ...status.progress, bytes, totalBytes: progress.total };
    return { ...job, plan, status: { ...status, progress: merged } };
  }, [job, plan]);

  const startPlan = useCallback(
    (next: IngestPlanInput) => {
      setPlan(next);
      return start(() => api.startIngest({ plan: next }));
    },
    [start],
  );

  const resetAll = useCallback(() => {
    setPlan(undefined);
    reset();
  }, [reset]);

  return { job: view, start: startPlan, cancel, reset: resetAll };
}
