/**
 * The sticky header row: for each visible column its name and sort state, under them its
 * engine's type (cut with an ellipsis when long, e.g. a document store's
 * `string|int (89%/11%) · 90%`, and whole in the tooltip), a filter button, and a drag handle
 * on its right edge that resizes it.
 */
import type { Header } from '@tanstack/react-table';
import type { VirtualItem } from '@tanstack/react-virtual';
import type { Column, ViewSpec } from '../../../shared/model';
import { gutterWidth, headerHeight } from './useGridVirtualizers';

interface Props {
  headers: Header<unknown, unknown>[];
  columns: readonly Column[];
  virtualColumns: VirtualItem[];
  totalWidth: number;
  view: ViewSpec;
  onSort: (column: string, additive: boolean) => void;
  onOpenFilter: (column: string, anchor: DOMRect) => void;
}

export function GridHeader(props: Props) {
  const { headers, columns, virtualColumns, totalWidth, view, onSort, onOpenFilter } = props;
  return (
    <div
      className="grid-header"
      role="row"
      aria-rowindex={1}
      style={{ width: totalWidth, height: headerHeight }}
    >
      <div className="grid-gutter grid-corner" role="columnheader" aria-label="Row number">
        #
      </div>
      {virtualColumns.map((virtual) => {
        const header = headers[virtual.index];
        const column = columns[virtual.index];
        if (!header || !column) return null;
        const sortIndex = view.sort.findIndex((s) => s.column === column.name);
        const sort = view.sort[sortIndex];
        const filtered = view.filters.some((f) => f.column === column.name);
        const ariaSort = sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
        return (
          <div
            key={column.name}
            role="columnheader"
            data-column={column.name}
            aria-sort={ariaSort}
            aria-colindex={virtual.index + 2}
            className={sort ? 'header-cell sorted' : 'header-cell'}
            style={{ left: gutterWidth + virtual.start, width: virtual.size }}
            title={headerTitle(column)}
          >
            <button
              type="button"
              className="header-sort"
              onClick={(event) => onSort(column.name, event.shiftKey)}
            >
              <span className="header-line">
                <span className="header-name">{column.name}</span>
                {sort && (
                  <span className="sort-indicator" aria-hidden>
                    {sort.direction === 'asc' ? '▲' : '▼'}
                    {view.sort.length > 1 && <sup>{sortIndex + 1}</sup>}
                  </span>
                )}
              </span>
              {typeLabel(column) && (
                <span className="header-type" data-testid="header-type">
                  {typeLabel(column)}
                </span>
              )}
            </button>
            <button
              type="button"
              className={filtered ? 'header-filter active' : 'header-filter'}
              aria-label={`Filter ${column.name}`}
              data-testid="filter-button"
              onClick={(event) =>
                onOpenFilter(
                  column.name,
                  (
                    event.currentTarget.parentElement ?? event.currentTarget
                  ).getBoundingClientRect(),
                )
              }
            >
              <FunnelIcon />
            </button>
            <div
              className={header.column.getIsResizing() ? 'resize-handle resizing' : 'resize-handle'}
              onMouseDown={header.getResizeHandler()}
              onTouchStart={header.getResizeHandler()}
              onDoubleClick={() => header.column.resetSize()}
              onClick={(event) => event.stopPropagation()}
              role="separator"
              aria-orientation="vertical"
              aria-label={`Resize ${column.name}`}
            />
          </div>
        );
      })}
    </div>
  );
}

/** The type shown beside the name; none when it would only repeat the name (Redis's `key`). */
function typeLabel(column: Column): string | undefined {
  const label = column.nativeType || column.type;
  return label === column.name ? undefined : label;
}

function headerTitle(column: Column): string {
  const native = column.nativeType || column.type;
  const logical = native.toLowerCase() === column.type ? '' : ` (${column.type})`;
  return [
    column.name,
    `${native}${logical}${column.nullable ? '' : ', not null'}`,
    'Click to sort, Shift+click to add a secondary sort',
  ].join('\n');
}

function FunnelIcon() {
  return (
    <svg width="11" height="11" viewBox="0 0 16 16" aria-hidden>
      <path d="M1.5 2h13L9.5 8.5V14l-3-1.5v-4z" fill="currentColor" />
    </svg>
  );
}
