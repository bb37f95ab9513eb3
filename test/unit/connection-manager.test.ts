/**
 * Saving, editing, duplicating and testing connections through the host's channels, the
 * read-only gate, and pasted URLs. Server connections point at a closed port: nothing here needs
 * a database server (test/integration/connections does).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { connectionsFileName } from '../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../electron/host.js';

let dir: string;
let host: Host;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-manager-'));
  // An empty connections file: not a first start, so no demo is generated.
  await fs.writeFile(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
  host = await createHost({ dataDir: dir });
});
afterEach(async () => {
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const closedPort = {
  kind: 'postgres',
  host: '127.0.0.1',
  port: 1,
  user: 'u',
  database: 'd',
} as const;

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('saving connections', () => {
  it('creates, keeps an unchanged password, clears it with null, and renames uniquely', async () => {
    const created = await host.call('saveConnection', {
      name: 'Warehouse',
      config: closedPort,
      secrets: { password: 'pw-1' },
    });
    expect(created).toMatchObject({ name: 'Warehouse', hasPassword: true, readOnly: false });
    expect(created.config).toEqual(closedPort);

    const edited = await host.call('saveConnection', {
      id: created.id,
      name: 'Warehouse',
      readOnly: true,
      config: { ...closedPort, database: 'other' },
    });
    expect(edited).toMatchObject({ id: created.id, hasPassword: true, readOnly: true });
    expect(edited.config.database).toBe('other');

    const cleared = await host.call('saveConnection', {
      id: created.id,
      name: 'Warehouse',
      config: closedPort,
      secrets: { password: null },
    });
    expect(cleared.hasPassword).toBe(false);

    const second = await host.call('saveConnection', { name: 'warehouse', config: closedPort });
    expect(second.name).toBe('warehouse (2)');
    expect(await host.call('listConnections', {})).toHaveLength(2);
  });

  it('moves a password typed into the config into the encrypted secrets', async () => {
    const saved = await host.call('saveConnection', {
      name: 'Inline',
      config: { ...closedPort, password: 'inline-secret' },
    });
    expect(saved.hasPassword).toBe(true);
    expect(saved.config).not.toHaveProperty('password');
    const text = await fs.readFile(path.join(dir, connectionsFileName), 'utf8');
    expect(text).not.toContain('inline-secret');
  });

  it('refuses a config its engine does not accept, naming the field', async () => {
    const error = await rejection(
      host.call('saveConnection', { name: 'Bad', config: { ...closedPort, port: 'x' } }),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/port/);
  });

  it('keeps an SSH tunnel with the connection and forgets its secrets without one', async () => {
    const tunnel = { host: 'bastion', user: 'me', privateKeyPath: '/keys/id' };
    const saved = await host.call('saveConnection', {
      name: 'Tunnelled',
      config: closedPort,
      tunnel,
      secrets: { sshPassphrase: 'pp' },
    });
    expect(saved.tunnel).toEqual({
      ...tunnel,
      hasPassword: false,
      hasPrivateKey: false,
      hasPassphrase: true,
    });
    expect(saved.target).toMatch(/via SSH me@bastion$/);
    const without = await host.call('saveConnection', {
      id: saved.id,
      name: 'Tunnelled',
      config: closedPort,
    });
    expect(without.tunnel).toBeUndefined();
    const text = await fs.readFile(path.join(dir, connectionsFileName), 'utf8');
    expect(JSON.parse(text).connections[0].secrets).toBeUndefined();
  });

  it('duplicates with a new id and name, secrets included', async () => {
    const original = await host.call('saveConnection', {
      name: 'Prod',
      config: closedPort,
      secrets: { password: 'pw' },
    });
    const copy = await host.call('duplicateConnection', { connectionId: original.id });
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({ name: 'Prod (copy)', hasPassword: true, config: closedPort });
    const again = await host.call('duplicateConnection', { connectionId: original.id });
    expect(again.name).toBe('Prod (copy) (2)');
  });
});

describe('the read-only gate', () => {
  it('refuses a write path on a read-only connection and allows it otherwise', async () => {
    const file = path.join(dir, 'shop.db');
    new Database(file).exec('CREATE TABLE t (x)').close();
    const readOnly = await host.call('saveConnection', {
      name: 'RO',
      readOnly: true,
      config: { kind: 'sqlite', path: file },
    });
    const writable = await host.call('saveConnection', {
      name: 'RW',
      config: { kind: 'sqlite', path: file },
    });
    const error = await rejection(host.connections.writableBackend(readOnly.id));
    expect(error.code).toBe('read-only');
    expect(error.message).toContain('RO');
    expect(error.hint).toMatch(/Read-only/);
    await expect(host.connections.writableBackend(writable.id)).resolves.toBeDefined();
  });
});

describe('testing a draft', () => {
  it('answers the latency for a SQLite file, and the engine’s reason when it fails', async () => {
    const file = path.join(dir, 'shop.db');
    new Database(file).exec('CREATE TABLE t (x)').close();
    const ok = await host.call('testConnection', {
      draft: { config: { kind: 'sqlite', path: file } },
    });
    expect(ok.ok).toBe(true);
    expect(ok.latencyMs).toBeGreaterThanOrEqual(0);

    const refused = await rejection(host.call('testConnection', { draft: { config: closedPort } }));
    expect(refused.code).toBe('unavailable');
    expect(refused.hint).toBeTruthy();
  });

  it('reports an unreachable SSH server as unavailable, with a hint', async () => {
    const error = await rejection(
      host.call('testConnection', {
        draft: { config: closedPort, tunnel: { host: '127.0.0.1', port: 1, user: 'x' } },
      }),
    );
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/SSH/);
    expect(error.hint).toMatch(/sshd/);
  });

  it('refuses a tunnel for a connection without host and port', async () => {
    const error = await rejection(
      host.call('testConnection', {
        draft: { config: { kind: 'sqlite', path: '/x.db' }, tunnel: { host: 'b' } },
      }),
    );
    expect(error.code).toBe('invalid-input');
  });
});

describe('pasted URLs', () => {
  it('fills the form without the password, saying one was there', async () => {
    const parsed = await host.call('parseConnectionUrl', {
      url: 'postgres://alice:s3cr%40t@db.example:6543/sales?sslmode=require',
    });
    expect(parsed).toEqual({
      kind: 'postgres',
      config: {
        kind: 'postgres',
        host: 'db.example',
        port: 6543,
        user: 'alice',
        database: 'sales',
        ssl: true,
      },
      hasPassword: true,
    });
    expect(JSON.stringify(parsed)).not.toContain('s3cr');
    const error = await rejection(host.call('parseConnectionUrl', { url: 'gopher://x' }));
    expect(error.code).toBe('invalid-input');
  });
});

describe('reachability', () => {
  it('marks a connection whose store cannot be reached, and reconnect tries again', async () => {
    const saved = await host.call('saveConnection', { name: 'Down', config: closedPort });
    await rejection(host.call('getTree', { connectionId: saved.id }));
    const [listed] = await host.call('listConnections', {});
    expect(listed?.lastFailure?.message).toMatch(/127\.0\.0\.1:1/);
    const error = await rejection(host.call('reconnect', { connectionId: saved.id }));
    expect(error.code).toBe('unavailable');
  });
});
