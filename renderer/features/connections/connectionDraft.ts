/**
 * The dialog's state and the draft it sends. Secrets are write-only: the form holds what the
 * person typed, or that they asked to clear a saved one; a saved value is never sent back to it.
 */
import type { ConnectionDraft, DraftConfig, SecretsInput } from '../../../shared/contract';
import type { ConnectionInfo, ConnectionKind, SshTunnel } from '../../../shared/model';
import { formFor } from './kindForms';

export interface SecretState {
  /** What was typed; empty means “keep the saved one, if any”. */
  value: string;
  cleared: boolean;
  /** A value is saved (from ConnectionInfo), shown as “••••• saved”. */
  saved: boolean;
}

export const emptySecret: SecretState = { value: '', cleared: false, saved: false };

export interface TunnelState {
  enabled: boolean;
  host: string;
  port: string;
  user: string;
  auth: 'key' | 'password';
  privateKeyPath: string;
  password: SecretState;
  passphrase: SecretState;
}

export interface FormState {
  id?: string;
  kind: ConnectionKind;
  name: string;
  readOnly: boolean;
  values: Record<string, string | boolean>;
  secret: SecretState;
  tunnel: TunnelState;
}

const noTunnel: TunnelState = {
  enabled: false,
  host: '',
  port: '',
  user: '',
  auth: 'key',
  privateKeyPath: '',
  password: emptySecret,
  passphrase: emptySecret,
};

export function newForm(kind: ConnectionKind): FormState {
  return {
    kind,
    name: '',
    readOnly: false,
    values: { ...formFor(kind).defaults },
    secret: emptySecret,
    tunnel: noTunnel,
  };
}

/** The form for editing a saved connection: its settings, and which secrets are saved. */
export function formFromConnection(connection: ConnectionInfo): FormState {
  const values: Record<string, string | boolean> = {};
  for (const [field, value] of Object.entries(connection.config)) {
    if (field === 'kind' || value === null || value === undefined) continue;
    values[field] = typeof value === 'boolean' ? value : String(value);
  }
  const tunnel = connection.tunnel;
  return {
    id: connection.id,
    kind: connection.kind,
    name: connection.name,
    readOnly: connection.readOnly,
    values,
    secret: { ...emptySecret, saved: connection.hasPassword },
    tunnel: tunnel
      ? {
          enabled: true,
          host: tunnel.host,
          port: tunnel.port === undefined ? '' : String(tunnel.port),
          user: tunnel.user ?? '',
          auth: tunnel.hasPassword && !tunnel.privateKeyPath ? 'password' : 'key',
          privateKeyPath: tunnel.privateKeyPath ?? '',
          password: { ...emptySecret, saved: tunnel.hasPassword },
          passphrase: { ...emptySecret, saved: tunnel.hasPassphrase },
        }
      : noTunnel,
  };
}

/** Which secrets are saved, from a fresher ConnectionInfo; what was typed is kept. */
export function withSavedFlags(form: FormState, connection: ConnectionInfo): FormState {
  const tunnel = connection.tunnel;
  return {
    ...form,
    secret: { ...form.secret, saved: connection.hasPassword },
    tunnel: {
      ...form.tunnel,
      password: { ...form.tunnel.password, saved: tunnel?.hasPassword ?? false },
      passphrase: { ...form.tunnel.passphrase, saved: tunnel?.hasPassphrase ?? false },
    },
  };
}

function secretInput(state: SecretState): string | null | undefined {
  if (state.value !== '') return state.value;
  return state.cleared ? null : undefined;
}

function configOf(form: FormState): DraftConfig {
  const config: DraftConfig = { kind: form.kind };
  for (const field of formFor(form.kind).fields) {
    const value = form.values[field.name];
    if (field.type === 'checkbox') {
      if (value === true) config[field.name] = true;
    } else if (typeof value === 'string' && value.trim() !== '') {
      config[field.name] = field.type === 'number' ? Number(value.trim()) : value.trim();
    }
  }
  return config;
}

function tunnelOf(tunnel: TunnelState): SshTunnel | undefined {
  if (!tunnel.enabled || !tunnel.host.trim()) return undefined;
  return {
    host: tunnel.host.trim(),
    ...(tunnel.port.trim() ? { port: Number(tunnel.port.trim()) } : {}),
    ...(tunnel.user.trim() ? { user: tunnel.user.trim() } : {}),
    ...(tunnel.auth === 'key' && tunnel.privateKeyPath.trim()
      ? { privateKeyPath: tunnel.privateKeyPath.trim() }
      : {}),
  };
}

/** A name when none was typed: the file, folder, bucket or user@host it points at. */
export function defaultName(form: FormState): string {
  const v = (name: string) =>
    typeof form.values[name] === 'string' ? String(form.values[name]).trim() : '';
  const base = (text: string) =>
    text
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? text;
  switch (form.kind) {
    case 'sqlite':
      return base(v('path')).replace(/\.(sqlite3?|db3?)$/i, '') || 'SQLite';
    case 'files':
      return base(v('root')) || 'Folder';
    case 's3':
      return v('bucket') || 'S3';
    case 'mongodb':
      return v('database') || 'MongoDB';
    default: {
      const where = [
        v('user') && `${v('user')}@`,
        v('host'),
        v('database') && `/${v('database')}`,
      ].join('');
      return where || formFor(form.kind).label;
    }
  }
}

export function draftOf(form: FormState): ConnectionDraft {
  const secrets: SecretsInput = {};
  const secretField = formFor(form.kind).secret?.name;
  const engineSecret = secretInput(form.secret);
  if (secretField && engineSecret !== undefined) secrets[secretField] = engineSecret;
  const tunnel = tunnelOf(form.tunnel);
  if (tunnel) {
    // One login method at a time: the other method's saved secret is cleared.
    const unused = (state: SecretState) => (state.saved ? null : undefined);
    const { auth, password: pw, passphrase: pp } = form.tunnel;
    const password = auth === 'password' ? secretInput(pw) : unused(pw);
    const passphrase = auth === 'key' ? secretInput(pp) : unused(pp);
    if (password !== undefined) secrets.sshPassword = password;
    if (passphrase !== undefined) secrets.sshPassphrase = passphrase;
  }
  return {
    ...(form.id ? { id: form.id } : {}),
    name: form.name.trim() || defaultName(form),
    readOnly: form.readOnly,
    config: configOf(form),
    secrets,
    ...(tunnel ? { tunnel } : {}),
  };
}

/** The password in a pasted URL: the renderer has the text, so it never has to come back. */
export function passwordInUrl(text: string): string | undefined {
  try {
    const password = new URL(text.trim()).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
