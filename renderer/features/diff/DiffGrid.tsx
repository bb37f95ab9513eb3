/**
 * The changes as a virtualised grid: one row per change in key order, added rows green, removed
 * red, changed cells highlighted with the old value struck through beside the new. Rows are
 * fetched in blocks as they scroll into view. The grid's own DataGrid reads a dataset's pages
 * (sort, filters, cell fetches), none of which a list of changes has, so this grid is separate
 * and shares only the cell rendering.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { DiffColumn, DiffRow } from '../../../shared/diff';
import type { CellValue } from '../../../shared/model';
import { GridCellContent } from '../../components/DataGrid/GridCell';
import { decimalScale, isNumericType } from '../../components/DataGrid/cellValue';
import { formatCount } from '../../format';

const rowHeight = 28;
const markerWidth = 44;

interface Props {
  columns: DiffColumn[];
  /** Indexes into the summary's columns, in the order shown. */
  shown: number[];
  /** Changed cells per column name. */
  changedCells: Record<string, number>;
  /** Each column's engine type (B's where B has it), so `DECIMAL(10,2)` shows 136.60. */
  nativeTypes: ReadonlyMap<string, string>;
  total: number;
  row: (index: number) => DiffRow | undefined;
  cursor: number;
  onCursor: (index: number) => void;
  onKey: (event: KeyboardEvent) => void;
}

/** Columns with changed cells are wider: they show the old value beside the new. */
function columnWidth(column: DiffColumn, changes: number): number {
  if (column.key) return 110;
  const base = isNumericType(column.type) ? 130 : 180;
  return changes > 0 ? Math.round(base * 1.6) : base;
}

const marks: Record<DiffRow['kind'], { sign: string; label: string }> = {
  added: { sign: '+', label: 'added' },
  removed: { sign: '−', label: 'removed' },
  changed: { sign: '~', label: 'changed' },
};

export function DiffGrid(props: Props) {
  const { columns, shown, changedCells, nativeTypes, total, row, cursor, onCursor, onKey } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const widths = shown.map((i) => columnWidth(columns[i]!, changedCells[columns[i]!.name] ?? 0));
  const totalWidth = markerWidth + widths.reduce((a, b) => a + b, 0);

  useEffect(() => {
    if (cursor >= 0 && cursor < total) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, total, virtualizer]);

  return (
    <div
      className="diff-grid"
      ref={scrollRef}
      tabIndex={0}
      role="grid"
      aria-rowcount={total}
      data-testid="diff-grid"
      onKeyDown={onKey}
    >
      <div className="diff-grid-head" role="row" style={{ width: totalWidth }}>
        <div className="diff-head-cell diff-marker" style={{ width: markerWidth }} />
        {shown.map((index, position) => {
          const column = columns[index]!;
          const tag = column.ignored
            ? 'ignored'
            : !column.inA
              ? 'new column'
              : !column.inB
                ? 'dropped'
                : column.key
                  ? 'key'
                  : undefined;
          return (
            <div
              key={column.name}
              role="columnheader"
              className={column.ignored ? 'diff-head-cell ignored' : 'diff-head-cell'}
              style={{ width: widths[position] }}
              title={`${column.name} (${column.type})`}
            >
              <span className="diff-head-name">{column.name}</span>
              {tag && <span className="diff-head-tag">{tag}</span>}
            </div>
          );
        })}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), width: totalWidth, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const change = row(item.index);
          const classes = ['diff-row', change ? `diff-${change.kind}` : 'diff-loading'];
          if (item.index === cursor) classes.push('cursor');
          return (
            <div
              key={item.key}
              role="row"
              aria-rowindex={item.index + 1}
              data-testid="diff-row"
              data-kind={change?.kind}
              className={classes.join(' ')}
              style={{ transform: `translateY(${item.start}px)`, width: totalWidth }}
              onClick={() => onCursor(item.index)}
            >
              <div
                className="diff-cell diff-marker"
                style={{ width: markerWidth }}
                title={change ? marks[change.kind].label : undefined}
              >
                {change && marks[change.kind].sign}
                {change?.count !== undefined && change.count > 1 && (
                  <span className="diff-count">×{formatCount(change.count)}</span>
                )}
              </div>
              {change &&
                shown.map((index, position) => (
                  <DiffCell
                    key={columns[index]!.name}
                    column={columns[index]!}
                    change={change}
                    index={index}
                    width={widths[position]!}
                    scale={decimalScale(nativeTypes.get(columns[index]!.name) ?? '')}
                  />
                ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function DiffCell(props: {
  column: DiffColumn;
  change: DiffRow;
  index: number;
  width: number;
  scale: number | undefined;
}) {
  const { column, change, index, width, scale } = props;
  const numeric = isNumericType(column.type);
  const className = `diff-cell${numeric ? ' numeric' : ''}`;
  const value = (cells: CellValue[] | undefined) => cells?.[index] ?? null;
  if (change.kind === 'changed' && change.changed.includes(index)) {
    return (
      <div
        role="gridcell"
        className={`${className} changed`}
        data-testid="diff-changed-cell"
        data-column={column.name}
        style={{ width }}
      >
        <span className="diff-old" title="old value (A)">
          <GridCellContent value={value(change.old)} type={column.type} scale={scale} />
        </span>
        <span className="diff-arrow" aria-hidden>
          →
        </span>
        <span className="diff-new" title="new value (B)">
          <GridCellContent value={value(change.new)} type={column.type} scale={scale} />
        </span>
      </div>
    );
  }
  // A column one side lacks reads null there: show the side that has it, muted.
  const oneSided = !column.inA || !column.inB;
  const cells = !column.inB
    ? change.old
    : !column.inA
      ? change.new
      : change.kind === 'removed'
        ? change.old
        : (change.new ?? change.old);
  return (
    <div
      role="gridcell"
      className={oneSided ? `${className} one-sided` : className}
      style={{ width }}
    >
      <GridCellContent value={value(cells)} type={column.type} scale={scale} />
    </div>
  );
}
