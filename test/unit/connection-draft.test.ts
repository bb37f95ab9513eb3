/**
 * The connection form's draft (renderer/features/connections/connectionDraft.ts): blank fields
 * left out, numbers as numbers, and write-only secrets sent only when typed or cleared.
 */
import { describe, expect, it } from 'vitest';
import { connectionDraftSchema } from '../../shared/contract.js';
import type { ConnectionInfo } from '../../shared/model.js';
import {
  defaultName,
  draftOf,
  formFromConnection,
  newForm,
  passwordInUrl,
} from '../../renderer/features/connections/connectionDraft.js';

const saved: ConnectionInfo = {
  id: 'c1',
  name: 'Warehouse',
  kind: 'postgres',
  target: 'postgres://u@db:5432/wh via SSH me@bastion',
  readOnly: true,
  capabilities: {
    serverSort: true,
    serverFilter: true,
    transactions: true,
    partitions: false,
    schemas: true,
    write: true,
  },
  status: { state: 'ready' },
  config: { kind: 'postgres', host: 'db', port: 5432, user: 'u', database: 'wh' },
  hasPassword: true,
  tunnel: {
    host: 'bastion',
    user: 'me',
    privateKeyPath: '~/.ssh/id',
    hasPassword: false,
    hasPrivateKey: false,
    hasPassphrase: true,
  },
};

describe('connection drafts', () => {
  it('sends a new form’s fields typed, blanks left out, and a name when none was given', () => {
    const form = newForm('postgres');
    form.values.database = '';
    const draft = draftOf(form);
    expect(draft).toEqual({
      name: 'postgres@127.0.0.1',
      readOnly: false,
      config: { kind: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres' },
      secrets: {},
    });
    expect(connectionDraftSchema.safeParse(draft).success).toBe(true);
  });

  it('keeps saved secrets by sending nothing, and clears or replaces only on request', () => {
    const form = formFromConnection(saved);
    expect(form.secret.saved).toBe(true);
    expect(form.tunnel.passphrase.saved).toBe(true);
    const untouched = draftOf(form);
    expect(untouched.secrets).toEqual({});
    expect(untouched).toMatchObject({
      id: 'c1',
      readOnly: true,
      tunnel: { host: 'bastion', user: 'me', privateKeyPath: '~/.ssh/id' },
    });

    form.secret = { ...form.secret, cleared: true };
    form.tunnel = { ...form.tunnel, passphrase: { ...form.tunnel.passphrase, value: 'pp' } };
    expect(draftOf(form).secrets).toEqual({ password: null, sshPassphrase: 'pp' });

    // Switching the tunnel to password login drops the key's passphrase.
    form.tunnel = { ...form.tunnel, auth: 'password' };
    expect(draftOf(form).secrets).toEqual({ password: null, sshPassphrase: null });
    expect(draftOf(form).tunnel).toEqual({ host: 'bastion', user: 'me' });
  });

  it('sends S3’s secret key under its own name', () => {
    const form = newForm('s3');
    form.values.bucket = 'lake';
    form.values.forcePathStyle = true;
    form.secret = { ...form.secret, value: 'sk' };
    expect(draftOf(form)).toMatchObject({
      name: 'lake',
      config: { kind: 's3', bucket: 'lake', region: 'us-east-1', forcePathStyle: true },
      secrets: { secretAccessKey: 'sk' },
    });
  });

  it('names files after themselves and finds a URL’s password', () => {
    const form = newForm('sqlite');
    form.values.path = '/data/shop.sqlite3';
    expect(defaultName(form)).toBe('shop');
    expect(passwordInUrl('postgres://u:p%40ss@h/d')).toBe('p@ss');
    expect(passwordInUrl('postgres://u@h/d')).toBeUndefined();
    expect(passwordInUrl('not a url')).toBeUndefined();
  });
});
