/**
 * Add or edit a connection: pick the kind (or paste a URL, which fills the form), fill its
 * fields, optionally an SSH tunnel, then Test (latency and server version, or what failed and
 * what to do) and Save. Secrets are write-only. A new SQLite file is added through the host's
 * file check, which can offer to add a file Strata cannot write to as read-only.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ConnectionTestResult, SecretStorageInfo } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import type { ConnectionInfo, ConnectionKind } from '../../../shared/model';
import { api, isElectron, toAppError } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import {
  defaultName,
  draftOf,
  formFromConnection,
  newForm,
  passwordInUrl,
  withSavedFlags,
  type FormState,
} from './connectionDraft';
import { KindFields } from './KindFields';
import { formFor, kindForms } from './kindForms';
import { SecretField } from './SecretField';
import { TunnelFields } from './TunnelFields';

export interface DialogSeed {
  kind?: ConnectionKind;
  /** A SQLite file to add (dropped on the window). */
  path?: string;
  name?: string;
  /** Why something is missing, e.g. a file dropped in a browser (which hides its location). */
  note?: string;
  /** The saved connection to edit. */
  edit?: ConnectionInfo;
}

function initialForm(seed: DialogSeed): FormState {
  if (seed.edit) return formFromConnection(seed.edit);
  const form = newForm(seed.kind ?? (seed.path !== undefined ? 'sqlite' : 'postgres'));
  if (seed.path !== undefined) form.values.path = seed.path;
  if (seed.name !== undefined) form.name = seed.name;
  return form;
}

export function ConnectionDialog({ seed, onClose }: { seed: DialogSeed; onClose: () => void }) {
  const [form, setForm] = useState<FormState>(() => initialForm(seed));
  const [url, setUrl] = useState('');
  const [urlNote, setUrlNote] = useState<string>();
  const [failure, setFailure] = useState<{ error: AppError; title: string }>();
  const [parsedUrl, setParsedUrl] = useState('');
  const [tested, setTested] = useState<ConnectionTestResult>();
  const [busy, setBusy] = useState<'test' | 'save'>();
  const [storage, setStorage] = useState<SecretStorageInfo>();
  const spec = formFor(form.kind);
  const editing = form.id !== undefined;

  useEffect(() => {
    api.getSecretStorage({}).then(setStorage, () => undefined);
  }, []);

  // The sidebar's copy may predate a save made a moment ago: ask which secrets are saved now.
  const editId = seed.edit?.id;
  useEffect(() => {
    if (editId === undefined) return;
    api.listConnections({}).then(
      (list) => {
        const fresh = list.find((c) => c.id === editId);
        if (fresh) setForm((current) => withSavedFlags(current, fresh));
      },
      () => undefined,
    );
  }, [editId]);

  const update = (next: FormState) => {
    setForm(next);
    setTested(undefined);
  };
  const setValue = (name: string, value: string | boolean) =>
    update({ ...form, values: { ...form.values, [name]: value } });

  const fillFromUrl = async (text: string) => {
    if (!text.trim() || text === parsedUrl) return;
    setParsedUrl(text);
    setFailure(undefined);
    try {
      const parsed = await api.parseConnectionUrl({ url: text });
      const next = newForm(parsed.kind);
      const password = passwordInUrl(text);
      for (const [field, value] of Object.entries(parsed.config)) {
        if (field !== 'kind' && value !== null && value !== undefined) {
          next.values[field] = typeof value === 'boolean' ? value : String(value);
        }
      }
      // What was typed while the URL was being read (name, switches, tunnel) is kept.
      setForm((current) => ({
        ...next,
        id: current.id,
        name: current.name,
        readOnly: current.readOnly,
        tunnel: current.tunnel,
        secret: password ? { ...current.secret, value: password } : current.secret,
      }));
      setTested(undefined);
      setUrlNote(
        parsed.hasPassword ? 'Filled from the URL, password included.' : 'Filled from the URL.',
      );
    } catch (thrown) {
      setFailure({ error: toAppError(thrown), title: 'This URL cannot be used' });
    }
  };

  const run = async (what: 'test' | 'save', action: () => Promise<void>) => {
    setBusy(what);
    setFailure(undefined);
    setTested(undefined);
    try {
      await action();
    } catch (thrown) {
      const title = what === 'test' ? 'The test failed' : 'Could not save';
      setFailure({ error: toAppError(thrown), title });
    } finally {
      setBusy(undefined);
    }
  };

  const test = () =>
    run('test', async () => setTested(await api.testConnection({ draft: draftOf(form) })));

  const save = (readOnly = form.readOnly) =>
    run('save', async () => {
      const path = form.values.path;
      if (form.kind === 'sqlite' && !editing && typeof path === 'string') {
        await api.addSqliteConnection({
          path: path.trim(),
          name: form.name.trim() || defaultName(form),
          readOnly,
        });
      } else {
        await api.saveConnection({ ...draftOf(form), readOnly });
      }
      onClose();
    });

  const choose = async () => {
    try {
      const picked = await api.pickSqliteFile({});
      if (picked.path) setValue('path', picked.path);
    } catch (thrown) {
      setFailure({ error: toAppError(thrown), title: 'Could not choose a file' });
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };

  return (
    <div className="modal-backdrop">
      <form
        className="dialog connection-dialog"
        role="dialog"
        aria-label={editing ? 'Edit connection' : 'New connection'}
        data-testid="connection-dialog"
        onSubmit={submit}
        onKeyDown={(event) => event.key === 'Escape' && onClose()}
      >
        <h2>{editing ? `Edit “${seed.edit?.name ?? form.name}”` : 'New connection'}</h2>
        {seed.note && <p className="dialog-note">{seed.note}</p>}
        <div className="connection-top">
          <label className="field">
            <span>Kind</span>
            <select
              data-testid="connection-kind"
              value={form.kind}
              disabled={editing}
              onChange={(event) => {
                const kind = kindForms.find((k) => k.kind === event.target.value)?.kind;
                if (kind) update({ ...newForm(kind), name: form.name, readOnly: form.readOnly });
              }}
            >
              {kindForms.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field connection-url">
            <span>Paste URL (fills the form)</span>
            <input
              data-testid="connection-url"
              className="mono"
              value={url}
              placeholder={spec.urlExample ?? 'postgres://user@host:5432/database'}
              spellCheck={false}
              onChange={(event) => setUrl(event.target.value)}
              onPaste={(event) => void fillFromUrl(event.clipboardData.getData('text'))}
              onKeyDown={(event) => {
                if (event.key !== 'Enter') return;
                event.preventDefault();
                void fillFromUrl(url);
              }}
              onBlur={() => void fillFromUrl(url)}
            />
          </label>
        </div>
        {urlNote && <p className="muted small">{urlNote}</p>}
        <label className="field">
          <span>Name</span>
          <input
            data-testid="connection-name"
            value={form.name}
            placeholder={defaultName(form)}
            onChange={(event) => update({ ...form, name: event.target.value })}
          />
        </label>
        <KindFields fields={spec.fields} values={form.values} onChange={setValue} />
        {form.kind === 'sqlite' && isElectron && (
          <button type="button" className="choose-file" onClick={() => void choose()}>
            Choose file…
          </button>
        )}
        {spec.secret && (
          <SecretField
            label={spec.secret.label}
            testId="connection-password"
            state={form.secret}
            onChange={(secret) => update({ ...form, secret })}
          />
        )}
        <label className="check-field switch">
          <input
            type="checkbox"
            role="switch"
            data-testid="connection-readonly"
            checked={form.readOnly}
            onChange={(event) => update({ ...form, readOnly: event.target.checked })}
          />
          <span>Read-only: Strata never writes to this store</span>
        </label>
        {spec.tunnel && (
          <TunnelFields tunnel={form.tunnel} onChange={(tunnel) => update({ ...form, tunnel })} />
        )}
        {storage?.protection === 'key-file' && (spec.secret || form.tunnel.enabled) && (
          <p className="muted small" data-testid="secret-storage-note">
            {storage.note}
          </p>
        )}
        {tested && (
          <div className="test-result" role="status" data-testid="connection-test-result">
            ✓ Connected in {tested.latencyMs.toLocaleString()} ms
            {tested.serverVersion ? ` · ${tested.serverVersion}` : ''}
          </div>
        )}
        {failure && (
          <div data-testid="connection-error">
            <ErrorPanel error={failure.error} title={failure.title} />
          </div>
        )}
        <div className="dialog-actions">
          {failure?.error.code === 'read-only' && form.kind === 'sqlite' && !editing && (
            <button type="button" data-testid="add-read-only" onClick={() => void save(true)}>
              Add as read-only
            </button>
          )}
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            data-testid="connection-test"
            disabled={busy !== undefined}
            onClick={() => void test()}
          >
            {busy === 'test' ? 'Testing…' : 'Test'}
          </button>
          <button
            type="submit"
            className="primary"
            data-testid="connection-save"
            disabled={busy !== undefined}
          >
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </div>
  );
}
