/**
 * The main area for one dataset: a header bar (reference, row count, position, go to row), the
 * active sort/filters, and the grid. Owns the ViewSpec; the count does not depend on the sort, so
 * only filter changes recount. A new `generation` (the connection was refreshed or reopened)
 * fetches schema, count and rows again and keeps the view.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ConnectionInfo, DatasetRef, TreeNode, ViewSpec } from '../../../shared/model';
import { formatRef } from '../../../shared/dataset-ref';
import { api } from '../../api';
import { DataGrid, type DataGridHandle } from '../../components/DataGrid/DataGrid';
import { emptyView } from '../../components/DataGrid/viewSpec';
import { ErrorPanel } from '../../components/ErrorPanel';
import { KindBadge } from '../../components/TreeGlyphs';
import { formatCount } from '../../format';
import { useAsync } from '../../hooks/useAsync';
import { useUpload } from '../upload/UploadProvider';
import { useVersions } from '../versions/VersionsProvider';
import { GoToRow } from './GoToRow';
import { ViewChips } from './ViewChips';

interface Props {
  connection: ConnectionInfo;
  node: TreeNode;
  generation: number;
  notify: (message: string) => void;
}

export function DatasetView({ connection, node, generation, notify }: Props) {
  const ref = useMemo<DatasetRef>(
    () => ({ connectionId: connection.id, path: node.path }),
    // A new generation is a new ref object, which every fetch below depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [connection.id, node.path, generation],
  );
  const [view, setView] = useState<ViewSpec>(emptyView);
  const [position, setPosition] = useState<[number, number]>([0, 0]);
  const grid = useRef<DataGridHandle>(null);
  const upload = useUpload();
  const versions = useVersions();

  const describe = useAsync(
    useCallback((signal: AbortSignal) => api.describeDataset({ ref }, { signal }), [ref]),
  );
  const filters = view.filters;
  const count = useAsync(
    useCallback(
      (signal: AbortSignal) => api.countRows({ ref, view: { sort: [], filters } }, { signal }),
      [ref, filters],
    ),
  );
  const rowCount = count.error ? 0 : (count.value?.count ?? 0);
  const onPosition = useCallback((first: number, last: number) => setPosition([first, last]), []);

  const refText = formatRef(connection.name, node.path);
  const { serverSort, serverFilter } = connection.capabilities;
  const sortedHere = view.sort.length > 0 && !serverSort;
  const filteredHere = view.filters.length > 0 && !serverFilter;
  const inMemory = [sortedHere && 'sorted', filteredHere && 'filtered']
    .filter(Boolean)
    .join(' and ');
  const positionText =
    rowCount === 0
      ? 'no rows'
      : `rows ${formatCount(position[0] + 1)}–${formatCount(position[1] + 1)} of ${formatCount(rowCount)}`;

  return (
    <section className="dataset-view">
      <header className="dataset-header">
        <KindBadge kind={node.kind} />
        <span className="dataset-ref mono" data-testid="dataset-ref" title={refText}>
          {refText}
        </span>
        <span className="header-sep" />
        <span className="muted">
          <span data-testid="row-count" className="strong tabular">
            {count.error ? '—' : count.loading && !count.value ? '…' : formatCount(rowCount)}
          </span>{' '}
          rows{count.loading && count.value ? ' (counting…)' : ''}
        </span>
        <span className="spacer" />
        <span className="grid-position tabular" data-testid="grid-position">
          {positionText}
        </span>
        <GoToRow rowCount={rowCount} onGo={(row) => grid.current?.goToRow(row - 1)} />
        {upload && node.kind === 'table' && (
          <button
            type="button"
            data-testid="dataset-upload"
            disabled={connection.readOnly || !connection.capabilities.write}
            title={
              connection.readOnly
                ? 'This connection is read-only'
                : 'Append or replace rows from a CSV file'
            }
            onClick={() =>
              upload({ connectionId: connection.id, targetPath: node.path, mode: 'append' })
            }
          >
            Upload CSV…
          </button>
        )}
        {versions && (
          <>
            <button
              type="button"
              data-testid="dataset-snapshot"
              title="Keep this version of the dataset in the local versions store"
              onClick={() => versions.snapshot({ ref, connectionName: connection.name })}
            >
              Snapshot…
            </button>
            <button
              type="button"
              data-testid="dataset-history"
              title="This dataset's snapshots: restore, compare, export"
              onClick={() => versions.showHistory({ ref, connectionName: connection.name })}
            >
              History
            </button>
          </>
        )}
      </header>
      <ViewChips
        view={view}
        onChange={setView}
        note={
          inMemory
            ? {
                text: `${inMemory} in memory`,
                title:
                  'This store cannot sort or filter on the server, so Strata reads the matching rows and does it in memory, up to a limit; past it the store’s own message says what to narrow.',
              }
            : undefined
        }
      />
      {count.error && (
        <div className="view-error">
          <ErrorPanel
            error={count.error}
            title={view.filters.length > 0 ? 'This filter cannot run' : 'Could not count rows'}
          />
        </div>
      )}
      {describe.error && <ErrorPanel error={describe.error} title="Could not open this dataset" />}
      {describe.value && (
        <DataGrid
          ref={grid}
          dataset={ref}
          columns={describe.value.columns}
          documentColumn={describe.value.documentColumn}
          view={view}
          rowCount={rowCount}
          countLoading={count.loading}
          onViewChange={setView}
          onPositionChange={onPosition}
          notify={notify}
        />
      )}
    </section>
  );
}
