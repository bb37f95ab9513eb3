/** Pure edits of a ViewSpec: what clicking a header or applying a filter does to sort and filters. */
import type { Filter, SortSpec, ViewSpec } from '../../../shared/model';

export const emptyView: ViewSpec = { sort: [], filters: [] };

/**
 * A plain click cycles this column asc → desc → none and drops other sorts; a shift-click does the
 * same to this column while keeping the others (a secondary sort).
 */
export function toggleSort(view: ViewSpec, column: string, additive: boolean): ViewSpec {
  const current = view.sort.find((s) => s.column === column);
  const next: SortSpec | undefined = !current
    ? { column, direction: 'asc' }
    : current.direction === 'asc'
      ? { column, direction: 'desc' }
      : undefined;
  if (!additive) return { ...view, sort: next ? [next] : [] };
  const sort: SortSpec[] = current
    ? view.sort.flatMap((s) => (s.column === column ? (next ? [next] : []) : [s]))
    : [...view.sort, { column, direction: 'asc' }];
  return { ...view, sort };
}

/** One filter per column: applying replaces the column's filter; `undefined` removes it. */
export function setColumnFilter(
  view: ViewSpec,
  column: string,
  filter: Filter | undefined,
): ViewSpec {
  const filters = view.filters.filter((f) => f.column !== column);
  return { ...view, filters: filter ? [...filters, filter] : filters };
}

export function describeFilter(filter: Filter): string {
  switch (filter.op) {
    case 'eq':
      return `${filter.column} = ${filter.value}`;
    case 'contains':
      return `${filter.column} contains “${filter.value}”`;
    case 'range':
      return [
        filter.min !== undefined ? `${filter.min} ≤` : '',
        filter.column,
        filter.max !== undefined ? `≤ ${filter.max}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'isNull':
      return `${filter.column} is NULL`;
    case 'notNull':
      return `${filter.column} is not NULL`;
  }
}
