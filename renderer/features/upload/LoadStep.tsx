/**
 * Step 5, Load: the running upload (rows, bytes, rate, time left; Cancel), then what came of it —
 * the summary with "Open dataset", the validation report when rows broke rules, or the error with
 * its hint. A rejected, failed or cancelled upload leaves the target as it was, and says so.
 */
import { formatRef } from '../../../shared/dataset-ref';
import { AppError } from '../../../shared/errors';
import type { IngestProgress, IngestStatus } from '../../../shared/ingest';
import type { ConnectionInfo } from '../../../shared/model';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatBytes, formatCount } from '../../format';
import { baseName } from './uploadModel';
import type { UploadWizardState } from './useUploadWizard';
import { ValidationReportView } from './ValidationReportView';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function Progress({ progress, cancelling }: { progress: IngestProgress; cancelling: boolean }) {
  const { rows, bytes, totalBytes, rowsPerSecond, bytesPerSecond, etaMs } = progress;
  const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 0;
  return (
    <div
      className="upload-progress"
      data-testid="upload-progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={totalBytes}
      aria-valuenow={bytes}
    >
      <div className="progress-track big">
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <dl className="upload-stats tabular">
        <div>
          <dt>Rows</dt>
          <dd data-testid="upload-progress-rows">{formatCount(rows)}</dd>
        </div>
        <div>
          <dt>Read</dt>
          <dd>
            {formatBytes(bytes)} of {formatBytes(totalBytes)} ({Math.round(fraction * 100)}%)
          </dd>
        </div>
        <div>
          <dt>Rate</dt>
          <dd>
            {formatCount(rowsPerSecond)} rows/s · {formatBytes(bytesPerSecond)}/s
          </dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{cancelling ? 'cancelling…' : etaMs === undefined ? '—' : formatDuration(etaMs)}</dd>
        </div>
      </dl>
    </div>
  );
}

interface Props {
  wizard: UploadWizardState;
  onOpenDataset: (connection: ConnectionInfo, path: string[]) => void;
}

export function LoadStep({ wizard, onOpenDataset }: Props) {
  const { job, cancel } = wizard.ingest;
  const plan = job.plan;
  const connection = wizard.connections?.find((c) => c.id === plan?.target.connectionId);
  if (!plan) return null;
  const where = connection
    ? formatRef(connection.name, plan.target.path)
    : plan.target.path.join('.');
  const running = job.phase !== 'done';
  const dryRun = plan.dryRun === true;

  return (
    <div className="upload-load-step">
      <p className="upload-load-title">
        <span className="mono strong">{baseName(plan.file)}</span>
        <span className="muted"> → </span>
        <span className="mono strong">{where}</span>
        <span className="muted">
          {' · '}
          {dryRun ? 'check only, nothing is written' : plan.mode}
          {' · '}
          {plan.policy === 'load-good-rows' ? 'bad rows set aside' : 'any bad row rejects the file'}
        </span>
      </p>
      {running && job.status && (
        <>
          <Progress progress={job.status.progress} cancelling={job.phase === 'cancelling'} />
          <div className="upload-load-actions">
            <button
              type="button"
              data-testid="upload-cancel"
              disabled={job.phase !== 'running'}
              onClick={cancel}
            >
              {job.phase === 'cancelling' ? 'Cancelling…' : 'Cancel'}
            </button>
            <span className="muted small">Cancelling leaves the target as it was.</span>
          </div>
        </>
      )}
      {running && !job.status && <p className="muted">Starting…</p>}
      {job.error && <ErrorPanel error={job.error} title="The upload could not run" />}
      {job.status && job.phase === 'done' && (
        <Outcome
          status={job.status}
          policy={plan.policy ?? 'reject-file'}
          onOpen={
            connection && job.status.state === 'loaded'
              ? () => onOpenDataset(connection, plan.target.path)
              : undefined
          }
        />
      )}
    </div>
  );
}

function Outcome(props: {
  status: IngestStatus;
  policy: string;
  onOpen: (() => void) | undefined;
}) {
  const { status, policy, onOpen } = props;
  const { summary, report } = status;
  if (status.state === 'failed' && status.error) {
    return (
      <ErrorPanel
        error={AppError.from(status.error)}
        title="The upload failed; the target is as it was"
      />
    );
  }
  if (status.state === 'cancelled') {
    return (
      <p className="upload-outcome neutral" data-testid="upload-cancelled">
        Cancelled. Nothing was written; the target is as it was.
      </p>
    );
  }
  const broken =
    report !== undefined && (report.violations.length > 0 || report.schemaIssues.length > 0);
  return (
    <>
      {status.state === 'loaded' && summary && (
        <div className="upload-outcome ok" data-testid="upload-summary">
          <div className="outcome-title">
            ✓ Loaded {formatCount(summary.rowsLoaded)} row{summary.rowsLoaded === 1 ? '' : 's'}
          </div>
          <div className="muted">
            {formatCount(summary.rowsRead)} read · {formatBytes(summary.bytes)} in{' '}
            {formatDuration(summary.ms)} · {formatCount(summary.rowsPerSecond)} rows/s
            {summary.rowsInTarget !== undefined &&
              ` · ${formatCount(summary.rowsInTarget)} rows in the target now`}
          </div>
          {summary.rowsRejected > 0 && (
            <div>
              {formatCount(summary.rowsRejected)} rows broke a rule and were left out
              {summary.rejectsPath && (
                <>
                  {'; they are in '}
                  <span className="mono">{summary.rejectsPath}</span>
                </>
              )}
              .
            </div>
          )}
          {onOpen && (
            <button
              type="button"
              className="primary"
              data-testid="upload-open-dataset"
              onClick={onOpen}
            >
              Open dataset
            </button>
          )}
        </div>
      )}
      {status.state === 'checked' && summary && (
        <div className="upload-outcome ok" data-testid="upload-summary">
          <div className="outcome-title">
            ✓ All {formatCount(summary.rowsRead)} rows pass. Nothing was written (check only).
          </div>
        </div>
      )}
      {status.state === 'rejected' && (
        <div className="upload-outcome bad" data-testid="upload-rejected">
          <div className="outcome-title">
            {summary?.rowsRead === 0 && report?.schemaIssues.length
              ? 'Not loaded: the file does not fit the target'
              : `${policy === 'reject-file' ? 'Rejected' : 'Found problems'}: ${formatCount(summary?.rowsRejected ?? 0)} of ${formatCount(summary?.rowsRead ?? 0)} rows broke a rule`}
          </div>
          <div>Nothing was written; the target is as it was.</div>
          {policy === 'reject-file' && (summary?.rowsRejected ?? 0) > 0 && (
            <div className="muted">
              Fix these lines in the file, or go Back to Rules and choose “Load the good rows” to
              set them aside.
            </div>
          )}
        </div>
      )}
      {broken && (
        <div className="upload-report" data-testid="upload-report">
          <ValidationReportView report={report} />
        </div>
      )}
    </>
  );
}
