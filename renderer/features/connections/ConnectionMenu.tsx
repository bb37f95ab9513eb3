/** The small per-connection menu in the sidebar: Refresh, Upload CSV, Edit, Duplicate, Delete. */
import { useEffect, useRef, useState } from 'react';

export interface ConnectionActions {
  /** Fetch the connection's tree again. */
  onRefresh?: () => void;
  /** Open the upload wizard with this connection as the target. */
  onUpload?: () => void;
  onEdit: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
}

export function ConnectionMenu({ name, actions }: { name: string; actions: ConnectionActions }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  const item = (label: string, testId: string, run: () => void, danger = false) => (
    <button
      type="button"
      role="menuitem"
      data-testid={testId}
      className={danger ? 'menu-item danger-text' : 'menu-item'}
      onClick={(event) => {
        event.stopPropagation();
        setOpen(false);
        run();
      }}
    >
      {label}
    </button>
  );

  return (
    <div className="connection-menu" ref={root}>
      <button
        type="button"
        className="tree-action"
        aria-label={`Actions for ${name}`}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="connection-menu"
        title="Refresh, edit, duplicate or delete"
        onClick={(event) => {
          event.stopPropagation();
          setOpen(!open);
        }}
      >
        ⋯
      </button>
      {open && (
        <div className="menu" role="menu" aria-label={`${name} actions`}>
          {actions.onRefresh && item('Refresh', 'connection-refresh', actions.onRefresh)}
          {actions.onUpload && item('Upload CSV…', 'connection-upload', actions.onUpload)}
          {item('Edit…', 'connection-edit', actions.onEdit)}
          {item('Duplicate', 'connection-duplicate', actions.onDuplicate)}
          {item('Delete…', 'connection-delete', actions.onDelete, true)}
        </div>
      )}
    </div>
  );
}
