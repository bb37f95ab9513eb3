/** A small modal question with a destructive confirm button (never window.confirm, which blocks). */
import type { ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel }: Props) {
  return (
    <div className="modal-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-label={title}
        onKeyDown={(event) => event.key === 'Escape' && onCancel()}
      >
        <h2>{title}</h2>
        <div className="dialog-body">{children}</div>
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" autoFocus onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="danger" data-testid="confirm" onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
