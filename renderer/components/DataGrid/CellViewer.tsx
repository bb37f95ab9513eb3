/**
 * The value viewer: one cell's full value (`getCell`), as text in a <pre>, with its size and a
 * Copy button. Opened by double-click or Enter on a cell.
 */
import { useEffect, useState } from 'react';
import type { CellDetail, DatasetRef, ViewSpec } from '../../../shared/model';
import type { AppError } from '../../../shared/errors';
import { api, isCancelled, toAppError } from '../../api';
import { formatBytes, formatCount } from '../../format';
import { ErrorPanel } from '../ErrorPanel';

interface Props {
  target: { ref: DatasetRef; view: ViewSpec; row: number; column: string };
  onClose: () => void;
  notify: (message: string) => void;
}

export function CellViewer({ target, onClose, notify }: Props) {
  const [detail, setDetail] = useState<CellDetail>();
  const [error, setError] = useState<AppError>();

  useEffect(() => {
    const controller = new AbortController();
    api.getCell(target, { signal: controller.signal }).then(setDetail, (failure: unknown) => {
      if (!isCancelled(failure)) setError(toAppError(failure));
    });
    return () => controller.abort();
  }, [target]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const copy = () => {
    if (detail?.text == null) return;
    navigator.clipboard.writeText(detail.text).then(
      () => notify('Copied value'),
      () => notify('Copy failed: the clipboard is not available'),
    );
  };

  return (
    <div
      className="modal-backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <section
        className="cell-viewer"
        data-testid="cell-viewer"
        role="dialog"
        aria-label="Cell value"
      >
        <header className="cell-viewer-head">
          <span className="mono strong">{target.column}</span>
          <span className="muted">row {formatCount(target.row + 1)}</span>
          {detail && <span className="type-badge">{detail.type}</span>}
          {detail && (
            <span className="muted" data-testid="cell-bytes">
              {formatBytes(detail.byteLength)}
              {detail.truncated ? ' (showing the first 64 KiB)' : ''}
            </span>
          )}
          <span className="spacer" />
          <button type="button" onClick={copy} disabled={detail?.text == null}>
            Copy
          </button>
          <button type="button" onClick={onClose} aria-label="Close">
            Close
          </button>
        </header>
        {error && <ErrorPanel error={error} />}
        {!detail && !error && <p className="muted pad">Loading…</p>}
        {detail && detail.text === null && (
          <p className="pad">
            <span className="cell-null">NULL</span>
          </p>
        )}
        {detail && detail.text !== null && (
          <pre className="cell-viewer-value">
            {detail.text === '' ? <span className="muted">(empty string)</span> : detail.text}
          </pre>
        )}
      </section>
    </div>
  );
}
