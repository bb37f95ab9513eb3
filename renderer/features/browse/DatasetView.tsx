/**
 * The main area for one dataset: a header bar (reference, row count, position, go to row), the
 * active sort/filters, and the grid. Owns the ViewSpec; the count does not depend on the sort, so
 * only filter changes recount.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ConnectionInfo, DatasetRef, TreeNode, ViewSpec } from '../../../shared/model';
import { formatRef } from '../../../shared/dataset-ref';
import { api } from '../../api';
import { DataGrid, type DataGridHandle } from '../../components/DataGrid/DataGrid';
import { emptyView } from '../../components/DataGrid/viewSpec';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatCount } from '../../format';
import { useAsync } from '../../hooks/useAsync';
import { GoToRow } from './GoToRow';
import { ViewChips } from './ViewChips';

interface Props {
  connection: ConnectionInfo;
  node: TreeNode;
  notify: (message: string) => void;
}

export function DatasetView({ connection, node, notify }: Props) {
  const ref = useMemo<DatasetRef>(
    () => ({ connectionId: connection.id, path: node.path }),
    [connection.id, node.path],
  );
  const [view, setView] = useState<ViewSpec>(emptyView);
  const [position, setPosition] = useState<[number, number]>([0, 0]);
  const grid = useRef<DataGridHandle>(null);

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
  const positionText =
    rowCount === 0
      ? 'no rows'
      : `rows ${formatCount(position[0] + 1)}–${formatCount(position[1] + 1)} of ${formatCount(rowCount)}`;

  return (
    <section className="dataset-view">
      <header className="dataset-header">
        <span className={`kind-badge kind-${node.kind}`}>{node.kind === 'view' ? 'V' : 'T'}</span>
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
      </header>
      <ViewChips view={view} onChange={setView} />
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
