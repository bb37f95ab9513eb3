/**
 * Add a SQLite file: type its path, choose it (Electron's native chooser), or drop it on the
 * window. The host's errors (not found, not a database, locked, read-only) stay in the dialog with
 * their hint; a read-only file can be added as read-only on purpose.
 */
import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../shared/errors';
import { api, isElectron, toAppError } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';

export interface DialogSeed {
  path?: string;
  name?: string;
  /** Why the path is missing, e.g. a file dropped in a browser (which hides its location). */
  note?: string;
}

export function AddConnectionDialog({ seed, onClose }: { seed: DialogSeed; onClose: () => void }) {
  const [path, setPath] = useState(seed.path ?? '');
  const [name, setName] = useState(seed.name ?? '');
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);

  const add = async (readOnly: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const trimmedName = name.trim();
      await api.addSqliteConnection({
        path: path.trim(),
        readOnly,
        ...(trimmedName ? { name: trimmedName } : {}),
      });
      onClose();
    } catch (failure) {
      setError(toAppError(failure));
    } finally {
      setBusy(false);
    }
  };

  const choose = async () => {
    try {
      const picked = await api.pickSqliteFile({});
      if (picked.path) setPath(picked.path);
    } catch (failure) {
      setError(toAppError(failure));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim()) void add(false);
  };

  return (
    <div className="modal-backdrop">
      <form
        className="dialog"
        role="dialog"
        aria-label="Add SQLite connection"
        data-testid="add-connection-dialog"
        onSubmit={submit}
        onKeyDown={(event) => event.key === 'Escape' && onClose()}
      >
        <h2>Add SQLite database</h2>
        {seed.note && <p className="dialog-note">{seed.note}</p>}
        <label className="field">
          <span>File path</span>
          <div className="field-row">
            <input
              data-testid="sqlite-path"
              autoFocus
              value={path}
              onChange={(event) => setPath(event.target.value)}
              placeholder="/path/to/database.sqlite"
              spellCheck={false}
            />
            {isElectron && (
              <button type="button" onClick={() => void choose()}>
                Choose file…
              </button>
            )}
          </div>
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input
            data-testid="sqlite-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="Defaults to the file name"
          />
        </label>
        {!isElectron && (
          <p className="muted small">
            In the browser, type the file's path on the machine running Strata, or drop the file and
            then type its path.
          </p>
        )}
        {error && <ErrorPanel error={error} title="Could not add this database" />}
        <div className="dialog-actions">
          {error?.code === 'read-only' && (
            <button
              type="button"
              data-testid="add-read-only"
              disabled={busy}
              onClick={() => void add(true)}
            >
              Add as read-only
            </button>
          )}
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            data-testid="add-connection-submit"
            disabled={busy || !path.trim()}
          >
            {busy ? 'Adding…' : 'Add'}
          </button>
        </div>
      </form>
    </div>
  );
}
