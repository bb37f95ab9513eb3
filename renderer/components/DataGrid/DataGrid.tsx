/**
 * The dataset grid: server-paged, sorted and filtered through the ViewSpec, virtualised in both
 * directions. react-table owns the column model (sizes, resizing); the rows never go through it —
 * they live in the block cache as arrays aligned to the columns. When the store refuses the view
 * (a sort or filter it cannot run), its own message and hint are shown above the rows. A schema
 * with a document column gives every row a "{ } Document" action.
 */
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type Ref,
} from 'react';
import {
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnSizingState,
} from '@tanstack/react-table';
import type { Column, DatasetRef, Filter, ViewSpec } from '../../../shared/model';
import { ErrorPanel } from '../ErrorPanel';
import { blockSize } from './blockCache';
import { CellViewer } from './CellViewer';
import { columnDefs } from './columnDefs';
import { FilterPopover } from './FilterPopover';
import { GridHeader } from './GridHeader';
import { GridRows } from './GridRows';
import { selectionRange, type Selection } from './selection';
import { useBlockRequests } from './useBlockRequests';
import { useCopyRange } from './useCopyRange';
import { gridKeyHandler } from './useGridKeyboard';
import { useGridMouse } from './useGridMouse';
import { useRowActions } from './useRowActions';
import { gutterWidth, headerHeight, useGridVirtualizers } from './useGridVirtualizers';
import { usePageCache } from './usePageCache';
import { setColumnFilter, toggleSort } from './viewSpec';

export interface DataGridHandle {
  /** Scroll so that 0-based `row` is the first visible row, and select its first cell. */
  goToRow(row: number): void;
}

interface Props {
  ref?: Ref<DataGridHandle>;
  dataset: DatasetRef;
  columns: Column[];
  /** The schema's pseudo-column holding each row's whole record as JSON, if any. */
  documentColumn?: string | undefined;
  view: ViewSpec;
  rowCount: number;
  countLoading: boolean;
  onViewChange: (view: ViewSpec) => void;
  onPositionChange: (first: number, last: number) => void;
  notify: (message: string) => void;
}

export function DataGrid(props: Props) {
  const { dataset, columns, documentColumn, view, rowCount, countLoading, onViewChange, notify } =
    props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const cache = usePageCache(dataset, view);
  const [columnSizing, setColumnSizing] = useState<ColumnSizingState>({});
  const [selection, setSelection] = useState<Selection>();
  const [filterFor, setFilterFor] = useState<{ column: string; anchor: DOMRect }>();
  const [viewerFor, setViewerFor] = useState<{ row: number; column: string }>();

  const defs = useMemo<ColumnDef<unknown>[]>(() => columnDefs(columns), [columns]);
  const table = useReactTable<unknown>({
    data: [],
    columns: defs,
    getCoreRowModel: getCoreRowModel(),
    columnResizeMode: 'onChange',
    enableColumnResizing: true,
    state: { columnSizing },
    onColumnSizingChange: setColumnSizing,
  });
  const headers = table.getFlatHeaders();
  const grid = useGridVirtualizers({
    scrollRef,
    rowCount,
    columnCount: columns.length,
    columnWidth: (index) => headers[index]?.getSize() ?? 150,
    columnSizingKey: JSON.stringify(columnSizing),
  });
  const totalWidth = gutterWidth + table.getTotalSize();
  const virtualRows = grid.rows.getVirtualItems();
  const virtualColumns = grid.columns.getVirtualItems();

  const loadingBlocks = useBlockRequests(
    cache,
    rowCount,
    virtualRows[0]?.index ?? 0,
    virtualRows[virtualRows.length - 1]?.index ?? 0,
    grid.firstVisible,
    grid.lastVisible,
  );
  const loading = countLoading || loadingBlocks;

  const { onPositionChange } = props;
  useEffect(() => {
    onPositionChange(grid.firstVisible, grid.lastVisible);
  }, [onPositionChange, grid.firstVisible, grid.lastVisible]);

  // A new view (sort, filters) starts at the top with nothing selected.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setSelection(undefined);
  }, [view, dataset]);

  const reveal = useCallback(
    (row: number, col: number) => {
      if (row < grid.firstVisible) grid.scrollToRow(row);
      else if (row > grid.lastVisible) grid.scrollToRow(row - grid.visibleRowCount + 1);
      grid.columns.scrollToIndex(col, { align: 'auto' });
    },
    [grid],
  );

  useImperativeHandle(
    props.ref,
    () => ({
      goToRow: (row) => {
        grid.scrollToRow(row);
        setSelection({ anchor: { row, col: 0 }, focus: { row, col: 0 } });
        scrollRef.current?.focus({ preventScroll: true });
      },
    }),
    [grid],
  );

  const range = selection ? selectionRange(selection) : undefined;
  const copyRange = useCopyRange(dataset, view, columns, cache, notify);
  const openViewer = (row: number, col: number) => {
    const column = columns[col];
    if (column) setViewerFor({ row, column: column.name });
  };

  const rowActions = useRowActions(documentColumn, setViewerFor);
  const { openDocument } = rowActions;
  const mouse = useGridMouse({
    setSelection,
    openViewer,
    onRowMenu: rowActions.onRowMenu,
    onRowAction: openDocument,
  });
  // The block under the first visible row failed: the store refused this view, or could not read.
  const failedBlock = Math.floor(grid.firstVisible / blockSize);
  const viewError = rowCount > 0 ? cache.error(failedBlock) : undefined;
  const refused = view.sort.length > 0 || view.filters.length > 0;

  const viewerTarget = useMemo(
    () => viewerFor && { ref: dataset, view, row: viewerFor.row, column: viewerFor.column },
    [viewerFor, dataset, view],
  );
  const closeFilter = useCallback(() => setFilterFor(undefined), []);
  const closeViewer = useCallback(() => {
    setViewerFor(undefined);
    scrollRef.current?.focus({ preventScroll: true });
  }, []);
  const filterColumn = filterFor && columns.find((c) => c.name === filterFor.column);

  return (
    <>
      {viewError && (
        <div className="view-error" data-testid="view-error">
          <ErrorPanel
            error={viewError}
            title={refused ? 'This sort or filter cannot run' : 'Could not load these rows'}
          />
        </div>
      )}
      <div
        ref={scrollRef}
        className="data-grid"
        role="grid"
        aria-rowcount={rowCount}
        aria-colcount={columns.length + 1}
        aria-multiselectable
        data-testid="data-grid"
        data-loading={loading ? 'true' : 'false'}
        tabIndex={0}
        onKeyDown={gridKeyHandler({
          selection,
          rowCount,
          columnCount: columns.length,
          pageRows: grid.visibleRowCount,
          select: setSelection,
          reveal,
          openViewer,
          copy: () => range && void copyRange(range),
        })}
        {...mouse}
      >
        <div
          className="grid-content"
          style={{ width: totalWidth, height: grid.realHeight + headerHeight }}
        >
          <GridHeader
            headers={headers}
            columns={columns}
            virtualColumns={virtualColumns}
            totalWidth={totalWidth}
            view={view}
            onSort={(column, additive) => onViewChange(toggleSort(view, column, additive))}
            onOpenFilter={(column, anchor) => setFilterFor({ column, anchor })}
          />
          <GridRows
            cache={cache}
            columns={columns}
            virtualRows={virtualRows}
            virtualColumns={virtualColumns}
            rowTop={grid.rowTop}
            totalWidth={totalWidth}
            range={range}
            active={selection?.focus}
            errorShownAbove={viewError ? failedBlock : undefined}
            rowActionsTitle={rowActions.gutterTitle}
          />
        </div>
      </div>
      {filterFor && filterColumn && (
        <FilterPopover
          column={filterColumn}
          current={view.filters.find((f: Filter) => f.column === filterFor.column)}
          anchor={filterFor.anchor}
          onApply={(filter) => {
            setFilterFor(undefined);
            onViewChange(setColumnFilter(view, filterFor.column, filter));
          }}
          onClose={closeFilter}
        />
      )}
      {rowActions.menu}
      {viewerTarget && (
        <CellViewer
          target={viewerTarget}
          documentColumn={documentColumn}
          onOpenDocument={openDocument && (() => openDocument(viewerTarget.row))}
          onClose={closeViewer}
          notify={notify}
        />
      )}
    </>
  );
}
