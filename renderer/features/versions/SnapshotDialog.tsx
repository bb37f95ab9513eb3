/**
 * Snapshot a dataset: a message and the key columns (the dataset's own key unless others are
 * ticked; with none, the plain statement that a stable order of all columns is used), then the
 * running job with Cancel, then what was stored: rows, chunks, new bytes and time.
 */
import { useCallback, useEffect, useState } from 'react';
import { formatRef } from '../../../shared/dataset-ref';
import type { DatasetRef } from '../../../shared/model';
import type { SnapshotInfo } from '../../../shared/versions';
import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatBytes, formatCount } from '../../format';
import { useAsync } from '../../hooks/useAsync';
import { formatDuration } from '../upload/LoadStep';
import { useVersionsJob } from './useVersionsJob';
import { VersionsJobFeedback } from './VersionsJobProgress';
import { shortId } from './versionsFormat';

export interface SnapshotTarget {
  ref: DatasetRef;
  connectionName: string;
}

interface Props {
  target: SnapshotTarget;
  onClose: () => void;
  onTaken: (snapshot: SnapshotInfo) => void;
  onShowHistory: () => void;
}

export function SnapshotDialog({ target, onClose, onTaken, onShowHistory }: Props) {
  const { ref } = target;
  const [message, setMessage] = useState('');
  const [picked, setPicked] = useState<string[]>();
  const schema = useAsync(
    useCallback((signal: AbortSignal) => api.describeDataset({ ref }, { signal }), [ref]),
  );
  const { job, start, cancel } = useVersionsJob();
  const refText = formatRef(target.connectionName, ref.path);
  const datasetKey = schema.value?.key ?? [];
  const key = picked ?? datasetKey;
  const status = job.status;

  const begin = () => {
    const custom = key.length > 0 && key.join('\u0000') !== datasetKey.join('\u0000');
    void start(() =>
      api.createSnapshot({
        ref,
        ...(message.trim() ? { message: message.trim() } : {}),
        ...(custom ? { key } : {}),
      }),
    );
  };
  const toggle = (column: string) =>
    setPicked(key.includes(column) ? key.filter((k) => k !== column) : [...key, column]);
  const taken = status?.state === 'done' ? status.snapshot : undefined;
  const editing = job.phase === 'idle';
  // The history lists the new snapshot as soon as it is stored.
  useEffect(() => {
    if (taken) onTaken(taken);
  }, [taken, onTaken]);

  return (
    <div className="modal-backdrop">
      <div
        className="dialog versions-dialog"
        role="dialog"
        aria-label={`Snapshot ${refText}`}
        data-testid="snapshot-dialog"
        onKeyDown={(event) => event.key === 'Escape' && editing && onClose()}
      >
        <h2>
          Snapshot <span className="mono">{refText}</span>
        </h2>
        {editing && (
          <>
            <label className="field">
              <span>Message</span>
              <textarea
                data-testid="snapshot-message"
                rows={2}
                autoFocus
                placeholder="What this version is, e.g. “before the price fix”"
                value={message}
                onChange={(event) => setMessage(event.target.value)}
              />
            </label>
            <div className="field">
              <span>Key columns (rows are ordered, chunked and later diffed by these)</span>
              {schema.error && <ErrorPanel error={schema.error} />}
              <div className="key-picker" data-testid="snapshot-key">
                {schema.value?.columns.map((column) => (
                  <label key={column.name} className="key-chip">
                    <input
                      type="checkbox"
                      checked={key.includes(column.name)}
                      onChange={() => toggle(column.name)}
                    />
                    <span className="mono">{column.name}</span>
                  </label>
                ))}
              </div>
              <p className="versions-key-note" data-testid="snapshot-key-note">
                {/* Nothing is said of the key until the dataset's columns are known. */}
                {!schema.value
                  ? schema.error
                    ? ''
                    : 'Reading the dataset’s columns…'
                  : key.length > 0
                    ? `Ordered by ${key.join(', ')}${picked === undefined || key.join() === datasetKey.join() ? ' (the dataset’s key)' : ''}.`
                    : datasetKey.length > 0
                      ? `None ticked: the dataset’s key (${datasetKey.join(', ')}) is used.`
                      : 'This dataset has no key. Rows are put in a stable order of all their columns, so a diff compares whole rows; tick columns that identify a row to diff by key instead.'}
              </p>
            </div>
          </>
        )}
        <VersionsJobFeedback
          job={job}
          onCancel={cancel}
          cancelledTestId="snapshot-cancelled"
          words={{
            cancelNote: 'Cancelling stores no snapshot.',
            couldNotStart: 'The snapshot could not be taken',
            failed: 'The snapshot failed',
            cancelled: 'Cancelled. No snapshot was stored.',
          }}
        />
        {taken && <SnapshotOutcome snapshot={taken} ms={status?.ms ?? 0} />}
        <div className="dialog-actions">
          <span className="spacer" />
          {editing && (
            <>
              <button type="button" onClick={onClose}>
                Cancel
              </button>
              <button
                type="button"
                className="primary"
                data-testid="snapshot-start"
                disabled={!schema.value}
                onClick={begin}
              >
                Take snapshot
              </button>
            </>
          )}
          {job.phase === 'done' && (
            <>
              {taken && (
                <button type="button" data-testid="snapshot-history" onClick={onShowHistory}>
                  Show history
                </button>
              )}
              <button
                type="button"
                className="primary"
                data-testid="snapshot-close"
                onClick={onClose}
              >
                Close
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}

function SnapshotOutcome({ snapshot, ms }: { snapshot: SnapshotInfo; ms: number }) {
  const reused = snapshot.chunks - snapshot.newChunks;
  return (
    <div className="versions-outcome ok" data-testid="snapshot-summary">
      <div className="outcome-title">
        ✓ Snapshot <span className="mono">{shortId(snapshot.id)}</span> of{' '}
        {formatCount(snapshot.rows)} row{snapshot.rows === 1 ? '' : 's'}
      </div>
      <dl className="versions-stats tabular">
        <div>
          <dt>Chunks</dt>
          <dd>
            {formatCount(snapshot.chunks)}
            {reused > 0 && <span className="muted"> ({formatCount(reused)} already stored)</span>}
          </dd>
        </div>
        <div>
          <dt>New bytes stored</dt>
          <dd data-testid="snapshot-new-bytes">{formatBytes(snapshot.newBytes)}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>
            {formatBytes(snapshot.storedBytes)}{' '}
            <span className="muted">of {formatBytes(snapshot.canonicalBytes)} rows</span>
          </dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>{formatDuration(ms)}</dd>
        </div>
      </dl>
      {snapshot.reusedFrom && (
        <div className="muted" data-testid="snapshot-reused">
          Unchanged since <span className="mono">{shortId(snapshot.reusedFrom)}</span>: the store
          showed the same data, so its chunks were reused without reading the rows.
        </div>
      )}
      {snapshot.keyNote && <div className="muted">{snapshot.keyNote}</div>}
      {snapshot.lossy && (
        <div className="warning-text">
          Lossy: {formatCount(snapshot.lossy.cells)} cells could not be read in full.{' '}
          {snapshot.lossy.note}
        </div>
      )}
    </div>
  );
}
