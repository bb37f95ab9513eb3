/**
 * The value viewer: one cell's full value (`getCell`), as text in a <pre> (JSON indented and
 * coloured), with its size and a Copy button. Opened by double-click or Enter on a cell. For a
 * dataset whose schema names a document column, it also shows a row's whole record as JSON:
 * "{ } Document" here, or on the row's context menu, asks for that pseudo-column.
 */
import { useEffect, useState } from 'react';
import type { CellDetail, DatasetRef, ViewSpec } from '../../../shared/model';
import type { AppError } from '../../../shared/errors';
import { api, isCancelled, toAppError } from '../../api';
import { formatBytes, formatCount } from '../../format';
import { ErrorPanel } from '../ErrorPanel';
import { JsonText } from './jsonText';

interface Props {
  target: { ref: DatasetRef; view: ViewSpec; row: number; column: string };
  /** The schema's document column, if it has one. */
  documentColumn?: string | undefined;
  onOpenDocument?: () => void;
  onClose: () => void;
  notify: (message: string) => void;
}

export function CellViewer(props: Props) {
  const { target, documentColumn, onOpenDocument, onClose, notify } = props;
  const [detail, setDetail] = useState<CellDetail>();
  const [error, setError] = useState<AppError>();
  const isDocument = documentColumn !== undefined && target.column === documentColumn;

  useEffect(() => {
    const controller = new AbortController();
    setDetail(undefined);
    setError(undefined);
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
        aria-label={isDocument ? 'Document' : 'Cell value'}
        data-document={isDocument ? 'true' : 'false'}
      >
        <header className="cell-viewer-head">
          <span className="mono strong">{isDocument ? '{ } Document' : target.column}</span>
          <span className="muted">row {formatCount(target.row + 1)}</span>
          {detail && <span className="type-badge">{detail.type}</span>}
          {detail && (
            <span className="muted" data-testid="cell-bytes">
              {formatBytes(detail.byteLength)}
              {detail.truncated ? ' (showing the first 64 KiB)' : ''}
            </span>
          )}
          <span className="spacer" />
          {documentColumn !== undefined && !isDocument && onOpenDocument && (
            <button
              type="button"
              data-testid="viewer-document"
              title="Show this row's whole record as JSON"
              onClick={onOpenDocument}
            >
              {'{ } Document'}
            </button>
          )}
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
            {detail.text === '' ? (
              <span className="muted">(empty string)</span>
            ) : detail.type === 'json' ? (
              <JsonText text={detail.text} />
            ) : (
              detail.text
            )}
          </pre>
        )}
      </section>
    </div>
  );
}
