/** Running a diff through the host's channels and waiting for its summary. */
import type { Host } from '../../../electron/host.js';
import type { DiffSummary, StartDiffInput } from '../../../shared/diff.js';

export async function diff(
  host: Host,
  input: Omit<StartDiffInput, 'ignoreColumns'> & { ignoreColumns?: string[] },
): Promise<DiffSummary> {
  const { jobId } = await host.call('startDiff', input);
  const status = await host.call('getDiffJob', { jobId, wait: true });
  if (status.state !== 'done') {
    throw new Error(
      `diff ${status.state}: ${status.error?.message ?? ''} ${status.error?.hint ?? ''}`,
    );
  }
  return status.summary!;
}
