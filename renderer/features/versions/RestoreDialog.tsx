/**
 * Restore a snapshot into any writable store: pick the connection (read-only ones are listed but
 * disabled, with the reason), name the dataset, create it or replace one (replacing asks first,
 * naming the dataset), then watch the job; the tree of the target is fetched again after.
 */
import { useCallback, useEffect, useState } from 'react';
import { formatRef, splitDatasetPath } from '../../../shared/dataset-ref';
import type { ConnectionInfo } from '../../../shared/model';
import type { SnapshotInfo } from '../../../shared/versions';
import { api } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatCount } from '../../format';
import { useAsync } from '../../hooks/useAsync';
import { formatDuration } from '../upload/LoadStep';
import { useVersionsJob } from './useVersionsJob';
import { VersionsJobFeedback } from './VersionsJobProgress';
import { formatWhen, shortId } from './versionsFormat';

interface Props {
  snapshot: SnapshotInfo;
  onClose: () => void;
  /** The target was written: its tree should be fetched again. */
  onRestored: (connection: ConnectionInfo, path: string[]) => void;
  onOpenDataset: (connection: ConnectionInfo, path: string[]) => void;
}

/** Why a connection cannot take a restore, or undefined when it can. */
export function notWritableReason(connection: ConnectionInfo): string | undefined {
  if (connection.readOnly) return 'read-only';
  if (!connection.capabilities.write) return 'this store cannot be written to';
  if (connection.status.state !== 'ready') return 'not connected';
  return undefined;
}

function suggestedName(snapshot: SnapshotInfo, sameConnection: boolean): string {
  const path = snapshot.dataset.path;
  const last = `${path[path.length - 1] ?? 'dataset'}_${shortId(snapshot.id)}`;
  return sameConnection ? [...path.slice(0, -1), last].join('.') : last;
}

export function RestoreDialog({ snapshot, onClose, onRestored, onOpenDataset }: Props) {
  const connections = useAsync(useCallback(() => api.listConnections({}), []));
  const [connectionId, setConnectionId] = useState<string>();
  const [name, setName] = useState<string>();
  const [mode, setMode] = useState<'create' | 'replace'>('create');
  const [confirming, setConfirming] = useState(false);
  const { job, start, cancel } = useVersionsJob();
  const [started, setStarted] = useState<{ connection: ConnectionInfo; path: string[] }>();

  const list = connections.value ?? [];
  const firstWritable =
    list.find((c) => c.id === snapshot.dataset.connectionId && !notWritableReason(c)) ??
    list.find((c) => !notWritableReason(c));
  const target = list.find((c) => c.id === (connectionId ?? firstWritable?.id));
  const datasetName = name ?? suggestedName(snapshot, target?.id === snapshot.dataset.connectionId);
  const path = splitDatasetPath(datasetName);
  const targetText = target ? formatRef(target.name, path) : '';
  const editing = job.phase === 'idle';
  const status = job.status;
  const restored = status?.state === 'done';

  const begin = () => {
    if (!target) return;
    setConfirming(false);
    setStarted({ connection: target, path });
    void start(() =>
      api.restoreSnapshot({
        snapshotId: snapshot.id,
        target: { connectionId: target.id, path },
        mode,
      }),
    );
  };
  useEffect(() => {
    if (restored && started) onRestored(started.connection, started.path);
  }, [restored, started, onRestored]);

  return (
    <div className="modal-backdrop">
      <div
        className="dialog versions-dialog"
        role="dialog"
        aria-label="Restore snapshot"
        data-testid="restore-dialog"
        onKeyDown={(event) => event.key === 'Escape' && editing && onClose()}
      >
        <h2>
          Restore snapshot <span className="mono">{shortId(snapshot.id)}</span>
        </h2>
        <p className="dialog-note">
          <span className="mono">{snapshot.dataset.ref}</span> · {formatWhen(snapshot.createdAt)} ·{' '}
          {formatCount(snapshot.rows)} rows
          {snapshot.message && <> · “{snapshot.message}”</>}
        </p>
        {editing && (
          <>
            {connections.error && <ErrorPanel error={connections.error} />}
            <label className="field">
              <span>Into connection</span>
              <select
                data-testid="restore-connection"
                value={target?.id ?? ''}
                onChange={(event) => {
                  setConnectionId(event.target.value);
                  setName(undefined);
                }}
              >
                {list.map((connection) => {
                  const reason = notWritableReason(connection);
                  return (
                    <option key={connection.id} value={connection.id} disabled={!!reason}>
                      {connection.name}
                      {reason ? ` — ${reason}` : ''}
                    </option>
                  );
                })}
              </select>
            </label>
            <label className="field">
              <span>Dataset</span>
              <input
                className="mono"
                data-testid="restore-name"
                value={datasetName}
                onChange={(event) => setName(event.target.value)}
              />
            </label>
            <fieldset className="versions-modes">
              <label>
                <input
                  type="radio"
                  name="restore-mode"
                  checked={mode === 'create'}
                  onChange={() => setMode('create')}
                />{' '}
                Create a new dataset <span className="muted">(fails if it exists)</span>
              </label>
              <label>
                <input
                  type="radio"
                  name="restore-mode"
                  data-testid="restore-replace"
                  checked={mode === 'replace'}
                  onChange={() => setMode('replace')}
                />{' '}
                Replace the dataset’s rows{' '}
                <span className="muted">(all at once, or not at all)</span>
              </label>
            </fieldset>
            {!firstWritable && list.length > 0 && (
              <p className="warning-text">No connection can be written to.</p>
            )}
          </>
        )}
        <VersionsJobFeedback
          job={job}
          onCancel={cancel}
          cancelledTestId="restore-cancelled"
          words={{
            cancelNote: 'Cancelling leaves the target as it was.',
            couldNotStart: 'The restore could not start',
            failed: 'The restore failed; the target is as it was',
            cancelled: 'Cancelled. The target is as it was.',
          }}
        />
        {restored && (
          <div className="versions-outcome ok" data-testid="restore-summary">
            <div className="outcome-title">
              ✓ Restored {formatCount(status.rowsWritten ?? 0)} rows into{' '}
              <span className="mono">{targetText}</span>
            </div>
            <div className="muted">in {formatDuration(status.ms ?? 0)}</div>
          </div>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          {editing && (
            <>
              <button type="button" onClick={onClose}>
                Cancel
              </button>
              <button
                type="button"
                className={mode === 'replace' ? 'danger' : 'primary'}
                data-testid="restore-start"
                disabled={!target || !!notWritableReason(target) || path.length === 0}
                onClick={() => (mode === 'replace' ? setConfirming(true) : begin())}
              >
                {mode === 'replace' ? 'Replace…' : 'Restore'}
              </button>
            </>
          )}
          {job.phase === 'done' && (
            <>
              {restored && started && (
                <button
                  type="button"
                  data-testid="restore-open"
                  onClick={() => onOpenDataset(started.connection, started.path)}
                >
                  Open dataset
                </button>
              )}
              <button type="button" className="primary" onClick={onClose}>
                Close
              </button>
            </>
          )}
        </div>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Replace dataset"
          confirmLabel="Replace"
          onConfirm={begin}
          onCancel={() => setConfirming(false)}
        >
          Replace every row of <span className="mono strong">{targetText}</span> with the{' '}
          {formatCount(snapshot.rows)} rows of snapshot {shortId(snapshot.id)}? Take a snapshot of
          it first if you may want its current rows back.
        </ConfirmDialog>
      )}
    </div>
  );
}
