/**
 * The active sort and filters as removable chips above the grid, and a note when the store does
 * not run them itself (from its capabilities, never from which engine it is).
 */
import type { ViewSpec } from '../../../shared/model';
import { describeFilter, setColumnFilter } from '../../components/DataGrid/viewSpec';

export function ViewChips({
  view,
  onChange,
  note,
}: {
  view: ViewSpec;
  onChange: (view: ViewSpec) => void;
  note?: { text: string; title: string } | undefined;
}) {
  if (view.sort.length === 0 && view.filters.length === 0) return null;
  return (
    <div className="view-chips" data-testid="view-chips">
      {view.filters.map((filter) => (
        <span className="chip" key={`f-${filter.column}`} data-testid="filter-chip">
          <span className="chip-kind">filter</span>
          <span className="mono">{describeFilter(filter)}</span>
          <button
            type="button"
            aria-label={`Remove filter on ${filter.column}`}
            onClick={() => onChange(setColumnFilter(view, filter.column, undefined))}
          >
            ×
          </button>
        </span>
      ))}
      {view.sort.map((sort, index) => (
        <span className="chip" key={`s-${sort.column}`}>
          <span className="chip-kind">sort {view.sort.length > 1 ? index + 1 : ''}</span>
          <span className="mono">
            {sort.column} {sort.direction === 'asc' ? '↑' : '↓'}
          </span>
          <button
            type="button"
            aria-label={`Remove sort on ${sort.column}`}
            onClick={() => onChange({ ...view, sort: view.sort.filter((s) => s !== sort) })}
          >
            ×
          </button>
        </span>
      ))}
      <button
        type="button"
        className="link-button"
        onClick={() => onChange({ sort: [], filters: [] })}
      >
        Clear all
      </button>
      {note && (
        <span className="chips-note muted small" title={note.title} data-testid="view-note">
          {note.text}
        </span>
      )}
    </div>
  );
}
