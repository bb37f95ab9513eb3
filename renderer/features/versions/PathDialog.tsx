/**
 * Asks for a file path on the machine running Strata, for export and import: typed (a browser
 * never reveals a file's path; the host resolves a relative one against its working directory),
 * or in Electron chosen with the native open/save dialog.
 */
import { useState, type ReactNode } from 'react';
import type { PickFilePathRequest } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import { api, isElectron, toAppError } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';

interface Props {
  title: ReactNode;
  label: string;
  initialPath: string;
  confirmLabel: string;
  testId: string;
  /** The native dialog Choose… opens (Electron only). */
  pick: Omit<PickFilePathRequest, 'defaultPath'>;
  /** Does the work; what it resolves to is shown as the outcome. */
  onSubmit: (path: string) => Promise<ReactNode>;
  onClose: () => void;
}

export function PathDialog(props: Props) {
  const { title, label, initialPath, confirmLabel, testId, pick, onSubmit, onClose } = props;
  const [path, setPath] = useState(initialPath);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const [outcome, setOutcome] = useState<ReactNode>();

  const choose = async () => {
    try {
      const chosen = await api.pickFilePath({ ...pick, ...(path ? { defaultPath: path } : {}) });
      if (chosen.path) setPath(chosen.path);
    } catch (failure) {
      setError(toAppError(failure));
    }
  };
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setOutcome(await onSubmit(path.trim()));
    } catch (failure) {
      setError(toAppError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop">
      <form
        className="dialog versions-dialog"
        role="dialog"
        aria-label={typeof title === 'string' ? title : label}
        data-testid={testId}
        onKeyDown={(event) => event.key === 'Escape' && !busy && onClose()}
        onSubmit={(event) => {
          event.preventDefault();
          if (!outcome && path.trim()) void submit();
        }}
      >
        <h2>{title}</h2>
        {outcome === undefined ? (
          <label className="field">
            <span>{label}</span>
            <span className="field-row">
              <input
                className="mono"
                data-testid={`${testId}-path`}
                autoFocus
                value={path}
                onChange={(event) => setPath(event.target.value)}
              />
              {isElectron && (
                <button type="button" onClick={() => void choose()}>
                  Choose…
                </button>
              )}
            </span>
            <span className="muted small">A path on the machine running Strata.</span>
          </label>
        ) : (
          <div className="versions-outcome ok" data-testid={`${testId}-outcome`}>
            {/* One block: the outcome's text and names flow as one sentence. */}
            <div>{outcome}</div>
          </div>
        )}
        {error && <ErrorPanel error={error} />}
        <div className="dialog-actions">
          <span className="spacer" />
          {outcome === undefined ? (
            <>
              <button type="button" disabled={busy} onClick={onClose}>
                Cancel
              </button>
              <button
                type="submit"
                className="primary"
                data-testid={`${testId}-confirm`}
                disabled={busy || !path.trim()}
              >
                {busy ? 'Working…' : confirmLabel}
              </button>
            </>
          ) : (
            <button type="button" className="primary" onClick={onClose}>
              Close
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
