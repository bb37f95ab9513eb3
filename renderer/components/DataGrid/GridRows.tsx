/**
 * The painted rows: only the virtualizers' visible rows and columns, absolutely positioned. Rows
 * whose block has not arrived yet show placeholders; a block that failed shows its error in line.
 */
import { useMemo } from 'react';
import type { VirtualItem } from '@tanstack/react-virtual';
import type { Column } from '../../../shared/model';
import { formatCount } from '../../format';
import { blockSize, type BlockCache } from './blockCache';
import { decimalScale, isNumericType } from './cellValue';
import { GridCellContent } from './GridCell';
import { inRange, type CellPoint, type CellRange } from './selection';
import { gutterWidth, rowHeight } from './useGridVirtualizers';

interface Props {
  cache: BlockCache;
  columns: readonly Column[];
  virtualRows: VirtualItem[];
  virtualColumns: VirtualItem[];
  rowTop: (virtualStart: number) => number;
  totalWidth: number;
  range: CellRange | undefined;
  active: CellPoint | undefined;
  /** A failed block whose error the grid shows above the rows instead of in line. */
  errorShownAbove?: number | undefined;
  /** The row number's tooltip when rows have actions. */
  rowActionsTitle?: string | undefined;
}

export function GridRows(props: Props) {
  const { cache, columns, virtualRows, virtualColumns, rowTop, totalWidth, range, active } = props;
  const { errorShownAbove, rowActionsTitle } = props;
  const scales = useMemo(
    () => columns.map((c) => (c.type === 'decimal' ? decimalScale(c.nativeType) : undefined)),
    [columns],
  );
  return (
    <>
      {virtualRows.map((virtualRow) => {
        const index = virtualRow.index;
        const values = cache.row(index);
        const block = Math.floor(index / blockSize);
        const blockError = values ? undefined : cache.error(block);
        return (
          <div
            key={index}
            role="row"
            aria-rowindex={index + 1}
            data-row-index={index}
            className={index % 2 === 1 ? 'grid-row odd' : 'grid-row'}
            style={{ top: rowTop(virtualRow.start), height: rowHeight, width: totalWidth }}
          >
            <div
              className={rowActionsTitle ? 'grid-gutter has-actions' : 'grid-gutter'}
              role="rowheader"
              title={rowActionsTitle}
            >
              {formatCount(index + 1)}
            </div>
            {blockError && index % blockSize === 0 && block !== errorShownAbove && (
              <div className="row-error" style={{ left: gutterWidth }} role="alert">
                Could not load rows {formatCount(index + 1)}–{formatCount(index + blockSize)}:{' '}
                {blockError.message}
              </div>
            )}
            {virtualColumns.map((virtualColumn) => {
              const column = columns[virtualColumn.index];
              if (!column) return null;
              const col = virtualColumn.index;
              const selected = inRange(range, index, col);
              const isActive = active?.row === index && active.col === col;
              let className = isNumericType(column.type) ? 'grid-cell numeric' : 'grid-cell';
              if (selected) className += ' selected';
              if (isActive) className += ' active';
              return (
                <div
                  key={column.name}
                  role="gridcell"
                  data-column={column.name}
                  data-col-index={col}
                  aria-colindex={col + 2}
                  aria-selected={selected}
                  className={className}
                  style={{ left: gutterWidth + virtualColumn.start, width: virtualColumn.size }}
                >
                  {values ? (
                    <GridCellContent
                      value={values[col] ?? null}
                      type={column.type}
                      scale={scales[col]}
                    />
                  ) : (
                    !blockError && <span className="cell-placeholder" />
                  )}
                </div>
              );
            })}
          </div>
        );
      })}
    </>
  );
}
