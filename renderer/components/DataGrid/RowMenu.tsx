/** A row's context menu at the pointer: its actions (for now, "{ } Document"). */
import { useEffect, useRef } from 'react';
import { formatCount } from '../../format';

export interface RowAction {
  label: string;
  testId: string;
  run: (row: number) => void;
}

interface Props {
  row: number;
  x: number;
  y: number;
  actions: readonly RowAction[];
  onClose: () => void;
}

export function RowMenu({ row, x, y, actions, onClose }: Props) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const close = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) onClose();
    };
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', escape);
    window.addEventListener('blur', onClose);
    root.current?.querySelector('button')?.focus();
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', escape);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);

  // Kept inside the window: near the right or bottom edge it opens leftwards or upwards.
  const left = Math.min(x, window.innerWidth - 190);
  const top = Math.min(y, window.innerHeight - 40 - actions.length * 28);
  return (
    <div
      ref={root}
      className="menu row-menu"
      role="menu"
      aria-label={`Row ${formatCount(row + 1)}`}
      data-testid="row-menu"
      style={{ left, top }}
    >
      <div className="menu-title">Row {formatCount(row + 1)}</div>
      {actions.map((action) => (
        <button
          key={action.testId}
          type="button"
          role="menuitem"
          className="menu-item"
          data-testid={action.testId}
          onClick={() => {
            onClose();
            action.run(row);
          }}
        >
          {action.label}
        </button>
      ))}
    </div>
  );
}
