/**
 * One dataset's history as a timeline, newest first: when, message, rows, size, new bytes stored,
 * lossy and no-key marks, parent; per snapshot Restore, Export, Delete (and Compare once a diff
 * can be started), with the dataset's storage use and "Snapshot now" in its heading.
 */
import type { DatasetStorage, SnapshotInfo } from '../../../shared/versions';
import { EngineMark, engineLabels } from '../../components/TreeGlyphs';
import { formatBytes, formatCount } from '../../format';
import type { VersionsActions } from './VersionsProvider';
import { formatAgo, formatWhen, shortId } from './versionsFormat';

export interface CompareActions {
  withPrevious: (snapshot: SnapshotInfo, previous: SnapshotInfo) => void;
  withLive: (snapshot: SnapshotInfo) => void;
  /** Snapshots ticked for "compare any two". */
  picked: readonly string[];
  togglePick: (snapshot: SnapshotInfo) => void;
}

interface Props {
  /** Oldest first, as listSnapshots answers. */
  snapshots: SnapshotInfo[];
  storage: DatasetStorage | undefined;
  actions: VersionsActions;
  compare?: CompareActions | undefined;
}

function isEngine(kind: string): kind is keyof typeof engineLabels {
  return Object.prototype.hasOwnProperty.call(engineLabels, kind);
}

export function DatasetHistory({ snapshots, storage, actions, compare }: Props) {
  const latest = snapshots[snapshots.length - 1];
  if (!latest) return null;
  const source = latest.dataset;
  const byId = new Map(snapshots.map((s) => [s.id, s]));
  const newestFirst = [...snapshots].reverse();
  return (
    <section className="history-group" data-testid="history-group" data-ref={source.ref}>
      <header className="history-group-head">
        {isEngine(source.connectionKind) && <EngineMark kind={source.connectionKind} />}
        <span className="mono strong history-ref">{source.ref}</span>
        <span className="muted">
          {formatCount(snapshots.length)} snapshot{snapshots.length === 1 ? '' : 's'}
          {storage && (
            <span title="Stored bytes of every chunk its snapshots use; in brackets what deleting its whole history would free">
              {' · '}
              {formatBytes(storage.bytes)} stored ({formatBytes(storage.exclusiveBytes)} only here)
            </span>
          )}
        </span>
        <span className="spacer" />
        <button
          type="button"
          data-testid="history-snapshot-now"
          onClick={() =>
            actions.snapshot({
              ref: { connectionId: source.connectionId, path: source.path },
              connectionName: source.connectionName,
            })
          }
        >
          Snapshot now…
        </button>
      </header>
      <ol className="timeline">
        {newestFirst.map((snapshot, index) => {
          const previous = newestFirst[index + 1];
          const parent = snapshot.parent ? byId.get(snapshot.parent) : undefined;
          return (
            <li
              key={snapshot.id}
              className="timeline-entry"
              data-testid="timeline-entry"
              data-snapshot={snapshot.id}
            >
              <span className="timeline-dot" aria-hidden />
              <div className="timeline-when">
                <div className="tabular" title={snapshot.createdAt}>
                  {formatWhen(snapshot.createdAt)}
                </div>
                <div className="muted small">{formatAgo(snapshot.createdAt)}</div>
              </div>
              <div className="timeline-what">
                <div className={snapshot.message ? 'timeline-message' : 'timeline-message faint'}>
                  {snapshot.message || 'No message'}
                </div>
                <div className="timeline-meta muted small">
                  <span className="mono" title={snapshot.id}>
                    {shortId(snapshot.id)}
                  </span>
                  {snapshot.parent && (
                    <span title={`Parent snapshot ${snapshot.parent}`}>
                      {' '}
                      · after <span className="mono">{shortId(snapshot.parent)}</span>
                      {!parent && ' (deleted)'}
                    </span>
                  )}
                  {' · key '}
                  {snapshot.keyNote ? (
                    <span className="badge" title={snapshot.keyNote}>
                      none: stable order
                    </span>
                  ) : (
                    <span className="mono">{snapshot.key.join(', ')}</span>
                  )}
                  {snapshot.reusedFrom && (
                    <span
                      className="badge"
                      title="The store showed the data unchanged: the chunks were reused without reading the rows"
                    >
                      unchanged
                    </span>
                  )}
                  {snapshot.lossy && (
                    <span
                      className="badge warning-badge"
                      data-testid="timeline-lossy"
                      title={snapshot.lossy.note}
                    >
                      lossy: {formatCount(snapshot.lossy.cells)} cells
                    </span>
                  )}
                </div>
              </div>
              <dl className="timeline-numbers tabular">
                <div>
                  <dt>Rows</dt>
                  <dd data-testid="timeline-rows">{formatCount(snapshot.rows)}</dd>
                </div>
                <div>
                  <dt>Size</dt>
                  <dd>{formatBytes(snapshot.storedBytes)}</dd>
                </div>
                <div>
                  <dt>New</dt>
                  <dd
                    data-testid="timeline-new-bytes"
                    title={`${formatCount(snapshot.newChunks)} of ${formatCount(snapshot.chunks)} chunks were new`}
                  >
                    {formatBytes(snapshot.newBytes)}
                  </dd>
                </div>
              </dl>
              <div className="timeline-actions">
                {compare && (
                  <>
                    <label className="timeline-pick" title="Tick two snapshots to compare them">
                      <input
                        type="checkbox"
                        data-testid="timeline-pick"
                        checked={compare.picked.includes(snapshot.id)}
                        onChange={() => compare.togglePick(snapshot)}
                      />
                    </label>
                    {previous ? (
                      <button
                        type="button"
                        data-testid="compare-previous"
                        title={`What changed since ${shortId(previous.id)}`}
                        onClick={() => compare.withPrevious(snapshot, previous)}
                      >
                        vs previous
                      </button>
                    ) : (
                      // The first snapshot has no previous one; the space keeps columns aligned.
                      <button type="button" className="placeholder" tabIndex={-1} aria-hidden>
                        vs previous
                      </button>
                    )}
                    <button
                      type="button"
                      data-testid="compare-live"
                      title="What changed in the live dataset since this snapshot"
                      onClick={() => compare.withLive(snapshot)}
                    >
                      vs live
                    </button>
                  </>
                )}
                <button
                  type="button"
                  data-testid="timeline-restore"
                  onClick={() => actions.restore(snapshot)}
                >
                  Restore…
                </button>
                <button
                  type="button"
                  data-testid="timeline-export"
                  title="Write this snapshot to one file"
                  onClick={() => actions.exportSnapshot(snapshot)}
                >
                  Export…
                </button>
                <button
                  type="button"
                  className="icon-button danger-text"
                  data-testid="timeline-delete"
                  aria-label={`Delete snapshot ${shortId(snapshot.id)}`}
                  title="Delete this snapshot"
                  onClick={() => actions.deleteSnapshot(snapshot)}
                >
                  ✕
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
