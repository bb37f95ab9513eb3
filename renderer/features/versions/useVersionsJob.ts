/**
 * One snapshot or restore as a dialog watches it (renderer/hooks/useJob.ts): rows done of rows
 * total from `jobProgress`; the outcome from `snapshotFinished` or the waiting `getVersionsJob`.
 */
import type { VersionsJobStatus } from '../../../shared/versions';
import { api } from '../../api';
import { useJob, type JobState, type JobWatch } from '../../hooks/useJob';

const versionsWatch: JobWatch<VersionsJobStatus> = {
  status: (jobId, wait) => api.getVersionsJob({ jobId, wait }),
  onFinished: (listener) => api.on('snapshotFinished', listener),
};

export type VersionsJobState = JobState<VersionsJobStatus>;

export function useVersionsJob() {
  return useJob(versionsWatch);
}
