/**
 * Connecting to Redis, and losing it: browsing another logical database from one connection,
 * credentials refused (a temporary ACL user, deleted afterwards, and a server requiring a
 * password), a refused port, and a server that goes away and comes back under an open backend.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { ViewSpec } from '../../../shared/model.js';
import { redisFactory } from '../../../electron/backends/redis/redis-backend.js';
import { privateServer, redisServerMissing, type PrivateServer } from './private-server.js';
import { redisAvailable, testKeyspace, type TestKeyspace } from './support.js';

const skip = await redisAvailable();
if (skip) console.warn(`⚠ SKIPPED Redis connections: ${skip}`);
const noBinary = redisServerMissing();
if (noBinary) console.warn(`⚠ SKIPPED Redis restarts and passwords: ${noBinary}`);
const plain: ViewSpec = { sort: [], filters: [] };

async function failure(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected an AppError').toBeInstanceOf(AppError);
  return error as AppError;
}

describe.skipIf(skip !== undefined)('Redis connections', () => {
  let home: TestKeyspace;
  let other: TestKeyspace;

  beforeAll(async () => {
    home = await testKeyspace(12);
    other = await testKeyspace(13);
    await home.client.set(`${home.prefix}here`, 'in 12');
    await other.client.set(`${home.prefix}there`, 'in 13');
  });
  afterAll(async () => {
    await other.client.unlink(`${home.prefix}there`);
    await home?.cleanup();
    await other?.cleanup();
  });

  it('browses every logical database from one connection', async () => {
    const backend = await redisFactory.open(home.config);
    try {
      const tree = await backend.tree();
      expect(tree.map((n) => n.label)).toEqual(expect.arrayContaining(['db12', 'db13']));
      expect(tree.find((n) => n.label === 'db13')?.rowCount).toBeGreaterThanOrEqual(1);
      const keys = async (db: number) =>
        (await backend.page([`db${db}`, 'keys', `${home.prefix}*`], plain, 0, 10)).rows.map(
          (r) => r[0],
        );
      expect(await keys(12)).toEqual([`${home.prefix}here`]);
      expect(await keys(13)).toEqual([`${home.prefix}there`]);
      expect(
        (await backend.page([`db13`, 'key', `${home.prefix}there`], plain, 0, 1)).rows,
      ).toEqual([['in 13']]);
      const missing = await failure(backend.page(['db99999', 'keys', '*'], plain, 0, 10));
      expect(missing.code).toBe('not-found');
      expect(missing.message).toContain('logical database 99999');
    } finally {
      await backend.close();
    }
  });

  it('refuses a wrong password for an ACL user, naming the user', async (ctx) => {
    const user = `strata-test-${randomBytes(4).toString('hex')}`;
    const created = await home.client
      .call('ACL', 'SETUSER', user, 'on', '>right-password', `~${home.prefix}*`, '+@all')
      .catch((e: unknown) => e);
    if (created instanceof Error)
      ctx.skip(`this server does not allow ACL SETUSER: ${created.message}`);
    try {
      const error = await failure(
        redisFactory.validate(
          { ...home.config, user, password: 'wrong-password' },
          { readOnly: true },
        ),
      );
      expect(error.code).toBe('permission-denied');
      expect(error.message).toContain(user);
      expect(error.hint).toContain('password');
      await redisFactory.validate(
        { ...home.config, user, password: 'right-password' },
        { readOnly: true },
      );
    } finally {
      await home.client.call('ACL', 'DELUSER', user);
    }
  });

  it('browses keys without Lua where an ACL forbids scripting', async (ctx) => {
    const user = `strata-test-${randomBytes(4).toString('hex')}`;
    const created = await home.client
      .call('ACL', 'SETUSER', user, 'on', '>pw', `~${home.prefix}*`, '+@all', '-@scripting')
      .catch((e: unknown) => e);
    if (created instanceof Error)
      ctx.skip(`this server does not allow ACL SETUSER: ${created.message}`);
    const backend = await redisFactory.open({ ...home.config, user, password: 'pw' });
    try {
      const rows = (await backend.page(['db12', 'keys', `${home.prefix}*`], plain, 0, 10)).rows;
      expect(rows).toEqual([[`${home.prefix}here`, 'string', null, expect.any(Number), 5]]);
    } finally {
      await backend.close();
      await home.client.call('ACL', 'DELUSER', user);
    }
  });

  it('says nothing listens on a refused port, promptly', async () => {
    const started = Date.now();
    const error = await failure(redisFactory.open({ ...home.config, host: '127.0.0.1', port: 1 }));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  describe.skipIf(noBinary !== undefined)('against a server of its own', () => {
    let server: PrivateServer;
    beforeAll(async () => {
      server = await privateServer(['--requirepass', 'sesame']);
    });
    afterAll(async () => {
      await server?.dispose();
    });
    const config = () => ({ kind: 'redis' as const, host: '127.0.0.1', port: server.port });

    it('asks for the password a server requires', async () => {
      const error = await failure(redisFactory.validate(config(), { readOnly: true }));
      expect(error.code).toBe('permission-denied');
      expect(error.message).toContain('needs a password');
      await redisFactory.validate({ ...config(), password: 'sesame' }, { readOnly: true });
    });

    it('fails promptly while the server is down and recovers when it is back', async () => {
      const backend = await redisFactory.open({ ...config(), password: 'sesame' });
      try {
        const path = ['db0', 'keys', '*'];
        expect(await backend.count(path, plain)).toBe(0);
        await server.stop();
        for (let attempt = 0; attempt < 3; attempt++) {
          const started = Date.now();
          const error = await failure(backend.page(path, plain, 0, 10));
          expect(error.code).toBe('unavailable');
          expect(error.message).toContain(`127.0.0.1:${server.port}`);
          expect(Date.now() - started).toBeLessThan(2_000);
        }
        await server.start();
        const deadline = Date.now() + 10_000;
        let rows: unknown[] | undefined;
        while (!rows && Date.now() < deadline) {
          rows = await backend.page(path, plain, 0, 10).then(
            (page) => page.rows,
            () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
          );
        }
        expect(rows).toEqual([]);
        expect(await backend.count(path, plain)).toBe(0);
      } finally {
        await backend.close();
      }
    });
  });
});
