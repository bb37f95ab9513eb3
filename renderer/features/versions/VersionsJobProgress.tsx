/** A running snapshot or restore: rows done (of the dataset's rows), rate, time, and Cancel. */
import { AppError } from '../../../shared/errors';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatCount } from '../../format';
import { formatDuration } from '../upload/LoadStep';
import type { VersionsJobState } from './useVersionsJob';

interface Props {
  job: VersionsJobState;
  onCancel: () => void;
  /** What cancelling leaves behind, said under the button. */
  cancelNote: string;
}

export function VersionsJobProgress({ job, onCancel, cancelNote }: Props) {
  const rows = job.progress?.done ?? 0;
  const total = job.progress?.total ?? 0;
  // Worked out here, at each progress event's render, from when the job was started.
  const elapsedMs = job.startedAt === undefined ? 0 : performance.now() - job.startedAt;
  const rowsPerSecond = (rows / Math.max(1, elapsedMs)) * 1000;
  const fraction = total > 0 ? Math.min(1, rows / total) : 0;
  const cancelling = job.phase === 'cancelling';
  return (
    <div className="versions-progress" data-testid="versions-progress">
      <div
        className="progress-track big"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={rows}
      >
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <dl className="versions-stats tabular">
        <div>
          <dt>Rows</dt>
          <dd data-testid="versions-progress-rows">
            {formatCount(rows)}
            {total > 0 && ` of ${formatCount(total)} (${Math.round(fraction * 100)}%)`}
          </dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>{rows > 0 ? `${formatCount(rowsPerSecond)} rows/s` : '—'}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>{cancelling ? 'cancelling…' : formatDuration(elapsedMs)}</dd>
        </div>
      </dl>
      <div className="versions-progress-actions">
        <button
          type="button"
          data-testid="versions-cancel"
          disabled={job.phase !== 'running'}
          onClick={onCancel}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
        <span className="muted small">{cancelNote}</span>
      </div>
    </div>
  );
}

interface FeedbackProps {
  job: VersionsJobState;
  onCancel: () => void;
  /** What each way of ending leaves behind, in the dialog's own words. */
  words: {
    cancelNote: string;
    couldNotStart: string;
    failed: string;
    cancelled: string;
  };
  /** The test id of the "cancelled" line. */
  cancelledTestId: string;
}

/** Everything a snapshot or restore dialog shows while its job runs and once it has ended. */
export function VersionsJobFeedback({ job, onCancel, words, cancelledTestId }: FeedbackProps) {
  const status = job.status;
  return (
    <>
      {(job.phase === 'running' || job.phase === 'cancelling' || job.phase === 'starting') && (
        <VersionsJobProgress job={job} onCancel={onCancel} cancelNote={words.cancelNote} />
      )}
      {job.error && <ErrorPanel error={job.error} title={words.couldNotStart} />}
      {status?.state === 'failed' && status.error && (
        <ErrorPanel error={AppError.from(status.error)} title={words.failed} />
      )}
      {status?.state === 'cancelled' && (
        <p className="versions-outcome neutral" data-testid={cancelledTestId}>
          {words.cancelled}
        </p>
      )}
    </>
  );
}
