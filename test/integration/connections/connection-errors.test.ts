/**
 * Testing and opening saved connections against the machine's real servers: a saved password is
 * used (and a wrong one refused) on MariaDB, and each failure a person can meet says what failed
 * and what to do: wrong password, missing database, refused port, unknown host, TLS refused.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput } from '../../../shared/contract.js';
import { AppError } from '../../../shared/errors.js';
import { connectionOptions } from '../../../electron/backends/mysql/mysql-engine.js';
import { configFromUrl } from '../../../electron/backends/registry.js';
import { connectionsFileName } from '../../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../../electron/host.js';
import { mysqlAvailable, mysqlUrl, postgresAvailable, postgresUrl } from '../../support/servers.js';

const postgresSkip = await postgresAvailable();
const mysqlSkip = await mysqlAvailable();
if (postgresSkip) console.warn(`SKIPPED PostgreSQL connection tests: ${postgresSkip}`);
if (mysqlSkip) console.warn(`SKIPPED MariaDB connection tests: ${mysqlSkip}`);

let dir: string;
let host: Host;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-conn-'));
  await fs.writeFile(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
  host = await createHost({ dataDir: dir });
});
afterAll(async () => {
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

type Draft = ChannelInput<'testConnection'>['draft'];

async function failure(draft: Draft): Promise<AppError> {
  const error = await host.call('testConnection', { draft }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).hint, (error as AppError).message).toBeTruthy();
  return error as AppError;
}

describe.skipIf(postgresSkip !== undefined)('PostgreSQL connection failures', () => {
  const server = () => {
    const config = configFromUrl(postgresUrl);
    if (config?.kind !== 'postgres') throw new Error('POSTGRES_URL is not postgres://');
    const { password: _password, ...rest } = config;
    return rest;
  };

  it('names a database that does not exist', async () => {
    const error = await failure({ config: { ...server(), database: 'strata_no_such_db' } });
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('strata_no_such_db');
  });

  it('says nothing listens on a refused port', async () => {
    const error = await failure({ config: { ...server(), port: 1 } });
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain(':1');
  });

  it('says a host name cannot be found', async () => {
    const error = await failure({ config: { ...server(), host: 'no-such-host.invalid' } });
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('no-such-host.invalid');
  });

  it('says TLS failed when the server does not offer it', async () => {
    const error = await failure({ config: { ...server(), ssl: true } });
    expect(error.code).toBe('unavailable');
    expect(error.message).toMatch(/TLS|SSL/i);
  });
});

describe.skipIf(mysqlSkip !== undefined)('MariaDB with a saved password', () => {
  const user = `strata_pw_${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const config = configFromUrl(mysqlUrl);
    if (config?.kind !== 'mysql') throw new Error('MYSQL_URL is not mysql://');
    const connection = await mysql.createConnection(connectionOptions(config));
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  const config = () => {
    const server = configFromUrl(mysqlUrl);
    if (server?.kind !== 'mysql') throw new Error('MYSQL_URL is not mysql://');
    return { kind: 'mysql' as const, host: server.host, port: server.port, user };
  };

  beforeAll(async () => {
    await admin(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
  });
  afterAll(async () => {
    await admin(`DROP USER IF EXISTS '${user}'@'%'`);
  });

  it('tests, saves and opens with the password, which is stored encrypted', async () => {
    const tested = await host.call('testConnection', {
      draft: { config: config(), secrets: { password } },
    });
    expect(tested.ok).toBe(true);
    const saved = await host.call('saveConnection', {
      name: 'MariaDB with password',
      config: config(),
      secrets: { password },
    });
    expect(saved.hasPassword).toBe(true);
    // Editing without retyping the password keeps using the saved one, for Test and for opening.
    const retest = await host.call('testConnection', { draft: { id: saved.id, config: config() } });
    expect(retest.ok).toBe(true);
    await expect(host.call('getTree', { connectionId: saved.id })).resolves.toBeInstanceOf(Array);
    const onDisk = await fs.readFile(path.join(dir, connectionsFileName), 'utf8');
    expect(onDisk).not.toContain(password);
  });

  it('refuses a wrong password as permission-denied, with what to check', async () => {
    const error = await failure({ config: config(), secrets: { password: 'wrong' } });
    expect(error.code).toBe('permission-denied');
    expect(error.message).toContain(user);
    expect(error.message).not.toContain('wrong');
  });

  it('refuses a missing password the same way once it is cleared', async () => {
    const saved = await host.call('saveConnection', {
      name: 'Cleared',
      config: config(),
      secrets: { password },
    });
    const error = await failure({ id: saved.id, config: config(), secrets: { password: null } });
    expect(error.code).toBe('permission-denied');
  });
});
