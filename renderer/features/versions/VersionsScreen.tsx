/**
 * The history screen in the main area: the whole store's use and tools on top, then every
 * snapshot across connections grouped by dataset (the most recently snapshotted first), or one
 * dataset's timeline when opened from that dataset.
 */
import { useCallback, useMemo } from 'react';
import { formatRef } from '../../../shared/dataset-ref';
import type { SnapshotInfo } from '../../../shared/versions';
import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAsync } from '../../hooks/useAsync';
import { useDiff } from '../diff/DiffProvider';
import { useSnapshotCompare } from '../diff/useSnapshotCompare';
import { DatasetHistory } from './DatasetHistory';
import type { SnapshotTarget } from './SnapshotDialog';
import { StoreTools } from './StoreTools';
import { useVersions } from './VersionsProvider';
import { datasetKey } from './versionsFormat';

interface Props {
  /** One dataset's history; every dataset's when absent. */
  focus: SnapshotTarget | undefined;
  onShowAll: () => void;
}

export function VersionsScreen({ focus, onShowAll }: Props) {
  const actions = useVersions();
  const diff = useDiff();
  const { actions: compare, pickedRequest } = useSnapshotCompare();
  const revision = actions?.revision ?? 0;
  const snapshots = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        api.listSnapshots(
          focus ? { connectionId: focus.ref.connectionId, path: focus.ref.path } : {},
          { signal },
        ),
      // A new revision (a snapshot taken, deleted, imported) lists again.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      [focus, revision],
    ),
  );
  const storage = useAsync(
    useCallback(
      (signal: AbortSignal) => api.storageUse({}, { signal }),
      // eslint-disable-next-line react-hooks/exhaustive-deps
      [revision],
    ),
  );
  const groups = useMemo(() => groupByDataset(snapshots.value ?? []), [snapshots.value]);
  const storageOf = (snapshot: SnapshotInfo) =>
    storage.value?.datasets.find((d) => datasetKey(d) === datasetKey(snapshot));
  const focusText = focus && formatRef(focus.connectionName, focus.ref.path);

  return (
    <section className="versions-screen" data-testid="versions-screen">
      <header className="dataset-header">
        <span className="versions-title">{focus ? 'History of' : 'Versions'}</span>
        {focusText && (
          <span className="dataset-ref mono" data-testid="history-focus">
            {focusText}
          </span>
        )}
        <span className="spacer" />
        {compare && diff && (
          <button
            type="button"
            data-testid="compare-picked"
            disabled={compare.picked.length !== 2}
            title="Tick two snapshots in the timeline, then compare them"
            onClick={() => {
              const request = pickedRequest(snapshots.value ?? []);
              if (request) diff.compare(request);
            }}
          >
            Compare ticked ({compare.picked.length}/2)
          </button>
        )}
        {focus ? (
          <button type="button" data-testid="history-all" onClick={onShowAll}>
            All datasets
          </button>
        ) : (
          <span className="muted">Every snapshot in this store, by dataset</span>
        )}
      </header>
      <div className="versions-body">
        {actions && (
          <StoreTools
            storage={storage.value}
            snapshotCount={
              focus
                ? storage.value
                  ? sumSnapshots(storage.value.datasets)
                  : 0
                : (snapshots.value?.length ?? 0)
            }
            onChanged={actions.changed}
          />
        )}
        {snapshots.error && <ErrorPanel error={snapshots.error} title="Could not list snapshots" />}
        {snapshots.loading && !snapshots.value && <p className="muted">Loading…</p>}
        {groups.length === 0 && snapshots.value && (
          <div className="empty-state versions-empty" data-testid="history-empty">
            <div className="empty-title">
              {focus ? 'No snapshots of this dataset yet' : 'No snapshots yet'}
            </div>
            <div className="muted">
              {focus
                ? 'Take one to keep this version: it can be restored into any store, and compared.'
                : 'Open a dataset and choose Snapshot, or right-click it in the tree.'}
            </div>
            {focus && actions && (
              <button
                type="button"
                className="primary"
                onClick={() =>
                  actions.snapshot({ ref: focus.ref, connectionName: focus.connectionName })
                }
              >
                Take a snapshot…
              </button>
            )}
          </div>
        )}
        {actions &&
          groups.map((group) => (
            <DatasetHistory
              key={datasetKey(group[0]!)}
              snapshots={group}
              storage={storageOf(group[0]!)}
              actions={actions}
              compare={compare}
            />
          ))}
      </div>
    </section>
  );
}

/** Snapshots by dataset, each oldest first; the most recently snapshotted dataset first. */
function groupByDataset(snapshots: SnapshotInfo[]): SnapshotInfo[][] {
  const groups = new Map<string, SnapshotInfo[]>();
  for (const snapshot of snapshots) {
    const key = datasetKey(snapshot);
    groups.set(key, [...(groups.get(key) ?? []), snapshot]);
  }
  const latest = (group: SnapshotInfo[]) => group[group.length - 1]?.createdAt ?? '';
  return [...groups.values()].sort((a, b) => latest(b).localeCompare(latest(a)));
}

function sumSnapshots(datasets: { snapshots: number }[]): number {
  return datasets.reduce((sum, d) => sum + d.snapshots, 0);
}
