/**
 * SSH tunnels against a real sshd on loopback (test/support/sshd.ts) in front of the machine's
 * PostgreSQL: browse through a tunnel with key login, a ~/.ssh/config-style alias (a file of its
 * own, never the real ~/.ssh), a key the server does not accept, and a server that goes away
 * while a connection is open (marked for Reconnect, and reconnecting works once it is back).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { PostgresConfig } from '../../../electron/backends/postgres/postgres-backend.js';
import { connectionsFileName } from '../../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../../electron/host.js';
import { resolveSshEndpoint } from '../../../electron/tunnel/ssh-config-file.js';
import {
  createPostgresDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../../support/servers.js';
import { sshdUnavailable, startSshd, type SshServer } from '../../support/sshd.js';

const skipReason = sshdUnavailable() ?? (await postgresAvailable());
if (skipReason) console.warn(`SKIPPED SSH tunnel tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('SSH tunnel to PostgreSQL', () => {
  let sshd: SshServer;
  let db: TestDatabase<PostgresConfig>;
  let dir: string;
  let host: Host;
  const alias = 'strata-test-bastion';

  beforeAll(async () => {
    sshd = await startSshd();
    db = await createPostgresDatabase();
    await db.exec(
      `CREATE TABLE items (id int PRIMARY KEY, name text);
       INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 250) g;`,
    );
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-ssh-'));
    await fs.writeFile(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
    await fs.writeFile(
      path.join(dir, 'ssh_config'),
      [
        `Host ${alias}`,
        `  HostName ${sshd.host}`,
        `  Port ${sshd.port}`,
        `  User ${sshd.user}`,
        `  IdentityFile ${sshd.clientKey}`,
        'Host *',
        '  ServerAliveInterval 30',
        '',
      ].join('\n'),
    );
    host = await createHost({
      dataDir: dir,
      sshConfigPath: path.join(dir, 'ssh_config'),
      // Never the real ~/.ssh/known_hosts: this file does not exist, so every host is new.
      sshKnownHostsPath: path.join(dir, 'user_known_hosts'),
    });
  });

  afterAll(async () => {
    await host?.close();
    await sshd?.remove();
    await db?.drop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** The database as the SSH server sees it: the same machine, so its loopback address. */
  const config = () => ({
    kind: 'postgres' as const,
    host: '127.0.0.1',
    port: db.config.port,
    user: db.config.user,
    database: db.config.database,
  });
  const keyTunnel = () => ({
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    privateKeyPath: sshd.clientKey,
  });

  async function browse(connectionId: string): Promise<unknown[][]> {
    const tree = await host.call('getTree', { connectionId });
    const tables = JSON.stringify(tree);
    expect(tables).toContain('"items"');
    const ref = { connectionId, path: ['public', 'items'] };
    const view = { sort: [{ column: 'id', direction: 'desc' as const }], filters: [] };
    expect(await host.call('countRows', { ref, view })).toEqual({ count: 250 });
    const page = await host.call('getPage', { ref, view, offset: 0, limit: 3 });
    return page.rows;
  }

  it('tests and browses a database through a tunnel with key login', async () => {
    const tested = await host.call('testConnection', {
      draft: { config: config(), tunnel: keyTunnel() },
    });
    expect(tested.ok).toBe(true);
    expect(tested.latencyMs).toBeGreaterThan(0);

    const saved = await host.call('saveConnection', {
      name: 'Through SSH',
      config: config(),
      tunnel: keyTunnel(),
    });
    expect(saved.target).toContain(`via SSH ${sshd.user}@${sshd.host}`);
    expect(await browse(saved.id)).toEqual([
      [250, 'item 250'],
      [249, 'item 249'],
      [248, 'item 248'],
    ]);
  });

  it('resolves a ~/.ssh/config alias: HostName, Port, User and IdentityFile', async () => {
    const endpoint = await resolveSshEndpoint(
      { host: alias },
      { configPath: path.join(dir, 'ssh_config') },
    );
    expect(endpoint).toEqual({
      alias,
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      identityFiles: [sshd.clientKey],
    });
    const saved = await host.call('saveConnection', {
      name: 'Alias',
      config: config(),
      tunnel: { host: alias },
    });
    expect(await browse(saved.id)).toHaveLength(3);
  });

  it('answers permission-denied, with a hint, for a key the server does not accept', async () => {
    const error = await host
      .call('testConnection', {
        draft: { config: config(), tunnel: { ...keyTunnel(), privateKeyPath: sshd.strangerKey } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('permission-denied');
    expect((error as AppError).message).toContain(sshd.strangerKey);
    expect((error as AppError).hint).toMatch(/authorized_keys/);
  });

  it('says a target the SSH server cannot reach is unavailable, from the server’s side', async () => {
    const error = await host
      .call('testConnection', {
        draft: { config: { ...config(), port: 1 }, tunnel: keyTunnel() },
      })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('unavailable');
    expect((error as AppError).message).toMatch(/127\.0\.0\.1:1/);
    expect((error as AppError).hint).toMatch(/seen from the SSH server/);
  });

  it('remembers the host key on first use and refuses a changed one', async () => {
    const known = await fs.readFile(path.join(dir, 'ssh_known_hosts'), 'utf8');
    expect(known).toContain(`[${sshd.host}]:${sshd.port} ssh-ed25519 `);
    await sshd.rekey();
    const error = await host
      .call('testConnection', { draft: { config: config(), tunnel: keyTunnel() } })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('permission-denied');
    expect((error as AppError).message).toMatch(/host key .* has changed/);
    expect((error as AppError).hint).toMatch(/intercepting/);
    // Forgetting the old key (as the hint says) lets the new one be accepted.
    await fs.rm(path.join(dir, 'ssh_known_hosts'));
    await expect(
      host.call('testConnection', { draft: { config: config(), tunnel: keyTunnel() } }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('marks a connection whose SSH server went away, and reconnects once it is back', async () => {
    const saved = await host.call('saveConnection', {
      name: 'Dropping',
      config: config(),
      tunnel: keyTunnel(),
    });
    await browse(saved.id);
    await sshd.stop();
    await expect
      .poll(async () => (await host.call('listConnections', {})).find((c) => c.id === saved.id))
      .toMatchObject({ lastFailure: { message: expect.stringMatching(/SSH tunnel/) } });
    const failed = await host.call('getTree', { connectionId: saved.id }).catch((e: unknown) => e);
    expect((failed as AppError).code).toBe('unavailable');
    expect((failed as AppError).hint).toMatch(/Reconnect/);

    await sshd.restart();
    const reconnected = await host.call('reconnect', { connectionId: saved.id });
    expect(reconnected.lastFailure).toBeUndefined();
    expect(await browse(saved.id)).toHaveLength(3);
  });
});
