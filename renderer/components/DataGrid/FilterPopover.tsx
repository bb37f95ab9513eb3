/**
 * The per-column filter editor: equals, contains, range, is NULL, is not NULL. Values are sent as
 * typed text; the host coerces them to the column's type and says so when it cannot (that error is
 * shown above the grid).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Column, Filter } from '../../../shared/model';

type Op = Filter['op'];
const opLabels: Record<Op, string> = {
  eq: 'equals',
  contains: 'contains',
  range: 'between',
  isNull: 'is NULL',
  notNull: 'is not NULL',
};

interface Props {
  column: Column;
  current: Filter | undefined;
  anchor: DOMRect;
  onApply: (filter: Filter | undefined) => void;
  onClose: () => void;
}

export function FilterPopover({ column, current, anchor, onApply, onClose }: Props) {
  const [op, setOp] = useState<Op>(current?.op ?? (column.type === 'text' ? 'contains' : 'eq'));
  const [value, setValue] = useState(current && 'value' in current ? current.value : '');
  const [min, setMin] = useState(current?.op === 'range' ? (current.min ?? '') : '');
  const [max, setMax] = useState(current?.op === 'range' ? (current.max ?? '') : '');
  const popover = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (!popover.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [onClose]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = column.name;
    if (op === 'eq' || op === 'contains') onApply({ column: name, op, value });
    else if (op === 'range') {
      onApply({
        column: name,
        op,
        ...(min.trim() !== '' ? { min: min.trim() } : {}),
        ...(max.trim() !== '' ? { max: max.trim() } : {}),
      });
    } else onApply({ column: name, op });
  };

  const left = Math.min(anchor.left, window.innerWidth - 280);
  return (
    <form
      ref={popover}
      className="filter-popover"
      style={{ left, top: anchor.bottom + 4 }}
      onSubmit={submit}
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
      role="dialog"
      aria-label={`Filter ${column.name}`}
    >
      <div className="filter-title">
        Filter <span className="mono">{column.name}</span>
        <span className="type-badge">{column.nativeType || column.type}</span>
      </div>
      <select
        data-testid="filter-op"
        value={op}
        onChange={(event) => setOp(event.target.value as Op)}
        aria-label="Condition"
      >
        {(Object.keys(opLabels) as Op[]).map((key) => (
          <option key={key} value={key}>
            {opLabels[key]}
          </option>
        ))}
      </select>
      {(op === 'eq' || op === 'contains') && (
        <input
          data-testid="filter-value"
          autoFocus
          value={value}
          onChange={(event) => setValue(event.target.value)}
          placeholder="Value"
          aria-label="Value"
        />
      )}
      {op === 'range' && (
        <div className="filter-range">
          <input
            data-testid="filter-min"
            autoFocus
            value={min}
            onChange={(event) => setMin(event.target.value)}
            placeholder="Min (inclusive)"
            aria-label="Minimum"
          />
          <input
            data-testid="filter-max"
            value={max}
            onChange={(event) => setMax(event.target.value)}
            placeholder="Max (inclusive)"
            aria-label="Maximum"
          />
        </div>
      )}
      <div className="filter-actions">
        {current && (
          <button type="button" data-testid="filter-clear" onClick={() => onApply(undefined)}>
            Remove filter
          </button>
        )}
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="filter-apply">
          Apply
        </button>
      </div>
    </form>
  );
}
