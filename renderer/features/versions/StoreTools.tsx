/**
 * The whole store's bar on the history screen: how much it holds (objects, garbage, manifests),
 * and Verify (every object re-hashed; the corrupt or missing ones named with the snapshots that
 * need them), Collect garbage (bytes freed) and Import.
 */
import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { GcReport, StorageUse, VerifyReport } from '../../../shared/versions';
import { api, isCancelled, toAppError } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatBytes, formatCount } from '../../format';
import { PathDialog } from './PathDialog';
import { shortId } from './versionsFormat';

interface Props {
  storage: StorageUse | undefined;
  snapshotCount: number;
  onChanged: () => void;
}

type Running = { kind: 'verify'; controller: AbortController } | { kind: 'gc' };

/** The label the host gives the verify job (electron/versions/service.ts). */
const verifyJobLabel = 'Verifying the versions store';

export function StoreTools({ storage, snapshotCount, onChanged }: Props) {
  const [running, setRunning] = useState<Running>();
  const [verified, setVerified] = useState<VerifyReport>();
  const [collected, setCollected] = useState<GcReport>();
  const [error, setError] = useState<AppError>();
  const [importing, setImporting] = useState(false);
  const [checked, setChecked] = useState<{ done: number; total: number }>();

  // Verify reports its progress as a job (bytes re-hashed of the store's object bytes).
  const verifying = running?.kind === 'verify';
  useEffect(() => {
    if (!verifying) return;
    setChecked(undefined);
    return api.on('jobProgress', (progress) => {
      if (progress.label === verifyJobLabel && progress.state === 'running') {
        setChecked({ done: progress.done, total: progress.total });
      }
    });
  }, [verifying]);

  const verify = async () => {
    const controller = new AbortController();
    setRunning({ kind: 'verify', controller });
    setError(undefined);
    setCollected(undefined);
    try {
      setVerified(await api.verifyStore({}, { signal: controller.signal }));
    } catch (failure) {
      if (!isCancelled(failure)) setError(toAppError(failure));
    } finally {
      setRunning(undefined);
    }
  };
  const collect = async () => {
    setRunning({ kind: 'gc' });
    setError(undefined);
    setVerified(undefined);
    try {
      setCollected(await api.collectGarbage({}));
      onChanged();
    } catch (failure) {
      setError(toAppError(failure));
    } finally {
      setRunning(undefined);
    }
  };

  return (
    <div className="store-tools">
      <div className="store-bar">
        <dl className="store-stats tabular" data-testid="store-stats">
          <div>
            <dt>Snapshots</dt>
            <dd>{formatCount(snapshotCount)}</dd>
          </div>
          <div>
            <dt>Stored</dt>
            <dd data-testid="store-bytes">
              {storage ? formatBytes(storage.objectBytes + storage.manifestBytes) : '…'}
            </dd>
          </div>
          <div>
            <dt>Objects</dt>
            <dd>{storage ? formatCount(storage.objects) : '…'}</dd>
          </div>
          <div>
            <dt title="Object bytes no snapshot uses; Collect garbage frees them">Garbage</dt>
            <dd>{storage ? formatBytes(storage.garbageBytes) : '…'}</dd>
          </div>
        </dl>
        <span className="spacer" />
        {running?.kind === 'verify' ? (
          <button type="button" onClick={() => running.controller.abort()}>
            Cancel verify
          </button>
        ) : (
          <button
            type="button"
            data-testid="store-verify"
            disabled={!!running}
            title="Re-hash every object and check every manifest"
            onClick={() => void verify()}
          >
            Verify store
          </button>
        )}
        <button
          type="button"
          data-testid="store-gc"
          disabled={!!running}
          title="Remove the chunks no snapshot uses"
          onClick={() => void collect()}
        >
          {running?.kind === 'gc' ? 'Collecting…' : 'Collect garbage'}
        </button>
        <button type="button" data-testid="store-import" onClick={() => setImporting(true)}>
          Import…
        </button>
      </div>
      {verifying && (
        <p className="muted store-note tabular" data-testid="verify-progress">
          Verifying every object…
          {checked &&
            checked.total > 0 &&
            ` ${formatBytes(checked.done)} of ${formatBytes(checked.total)} (${Math.round((checked.done / checked.total) * 100)}%)`}
        </p>
      )}
      {error && <ErrorPanel error={error} />}
      {verified && <VerifyReportView report={verified} onDismiss={() => setVerified(undefined)} />}
      {collected && (
        <p className="versions-outcome ok store-note" data-testid="gc-report">
          ✓ Freed {formatBytes(collected.bytesFreed)} ({formatCount(collected.objectsRemoved)}{' '}
          objects removed, {formatCount(collected.objectsKept)} kept
          {collected.basesKept > 0 &&
            `, of which ${formatCount(collected.basesKept)} only as the older versions newer snapshots’ changes are stored against`}
          {collected.leftoversRemoved > 0 &&
            `, ${formatCount(collected.leftoversRemoved)} leftovers of stopped work cleared`}
          ).
        </p>
      )}
      {importing && (
        <PathDialog
          title="Import a snapshot"
          label="Snapshot file (made by Export or strata export)"
          initialPath=""
          confirmLabel="Import"
          testId="import-dialog"
          pick={{ mode: 'open', title: 'Import a snapshot', extensions: ['strata-snapshot'] }}
          onClose={() => setImporting(false)}
          onSubmit={async (file) => {
            const result = await api.importSnapshot({ file });
            onChanged();
            return result.alreadyPresent ? (
              <>Snapshot {shortId(result.snapshot.id)} was already in the store; nothing written.</>
            ) : (
              <>
                ✓ Imported snapshot {shortId(result.snapshot.id)} of{' '}
                <span className="mono">{result.snapshot.dataset.ref}</span> (
                {formatCount(result.snapshot.rows)} rows, {formatCount(result.newObjects)} new
                objects).
              </>
            );
          }}
        />
      )}
    </div>
  );
}

function VerifyReportView({ report, onDismiss }: { report: VerifyReport; onDismiss: () => void }) {
  const plural = (n: number, noun: string) => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
  const summary = `${plural(report.objects, 'object')} (${formatBytes(report.bytesChecked)}) and ${plural(report.snapshots, 'snapshot')} checked`;
  if (report.ok) {
    return (
      <p
        className="versions-outcome ok store-note inline"
        data-testid="verify-report"
        data-ok="true"
      >
        <span>✓ The store is intact: {summary}.</span>
        <span className="spacer" />
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </p>
    );
  }
  return (
    <div className="versions-outcome bad store-note" data-testid="verify-report" data-ok="false">
      <div className="outcome-title">
        {formatCount(report.problems.length)} problem{report.problems.length === 1 ? '' : 's'} found
        ({summary})
      </div>
      <table className="verify-problems">
        <thead>
          <tr>
            <th>Object or manifest</th>
            <th>Problem</th>
            <th>Snapshots that need it</th>
          </tr>
        </thead>
        <tbody>
          {report.problems.map((problem) => (
            <tr key={`${problem.kind}:${problem.subject}`}>
              <td className="mono">{shortId(problem.subject)}…</td>
              <td>
                <strong>{problem.kind.replace(/-/g, ' ')}</strong>: {problem.detail}
              </td>
              <td className="mono">{problem.snapshots.map(shortId).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="muted">
        These snapshots cannot be restored in full. Import them again from an export, or delete them
        and collect garbage.
      </div>
    </div>
  );
}
