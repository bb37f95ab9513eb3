/**
 * What only the Redis writer does, in logical database 12 under a unique prefix: create refused
 * when keys exist under the prefix, a key column required, no partitions; a row's hash holding
 * its columns (NULL fields left out, bytes as they are); append replacing same-key hashes whole;
 * replace leaving keys of other types alone; and the temporary keys of a killed upload invisible
 * to the reader and removed by cleanup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '../../../shared/model.js';
import { redisCapabilities } from '../../../electron/backends/redis/engine.js';
import { cleanupLeftovers } from '../../../electron/backends/redis/write-keys.js';
import { redisAvailable, testKeyspace, type TestKeyspace } from '../redis/support.js';
import { redisFactory } from '../../../electron/backends/redis/redis-backend.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { col } from '../writers/fixture.js';
import { expectError, target, write } from './suite.js';

const db = 12;
const skip = await redisAvailable();
if (skip) console.warn(`⚠ SKIPPED Redis writer extras: ${skip}`);
const plain = { sort: [], filters: [] };
const columns: Column[] = [col('id', 'integer', false), col('name', 'text'), col('raw', 'blob')];

describe.skipIf(skip !== undefined)('Redis writer', () => {
  let space: TestKeyspace;
  let backend: Backend;
  const path = (name: string) => [`db${db}`, 'hashes', `${space.prefix}${name}:`];
  const key = (name: string, id: string) => `${space.prefix}${name}:${id}`;

  beforeAll(async () => {
    space = await testKeyspace(db);
    backend = await redisFactory.open(space.config);
  });
  afterAll(async () => {
    await backend?.close();
    await space?.cleanup();
  });

  it('cannot partition, and says so by its capabilities', async () => {
    expect(redisCapabilities.partitions).toBe(false);
    const by = target(path('parts'), 'create', columns, { partitionBy: ['name'] });
    await expectError(backend.writer!.begin(by), 'invalid-input');
  });

  it('needs a key column, and a hashes dataset', async () => {
    const keyless = target(path('keyless'), 'create', columns, { key: [] });
    const error = await expectError(backend.writer!.begin(keyless), 'invalid-input');
    expect(error.message).toBe('Redis needs a key column to name each hash');
    await expectError(
      backend.writer!.begin(target([`db${db}`, 'key', 'x'], 'create', columns)),
      'invalid-input',
    );
  });

  it('refuses create when keys exist under the prefix, and writes nothing', async () => {
    await space.client.set(key('taken', 'note'), 'not a hash');
    await expectError(
      backend.writer!.begin(target(path('taken'), 'create', columns)),
      'invalid-input',
    );
    expect(await space.client.keys(`${space.prefix}taken:*`)).toEqual([key('taken', 'note')]);
  });

  it('writes a hash per row: its columns as fields, NULLs left out, bytes as they are', async () => {
    const bytes = new Uint8Array([0xff, 0x00, 0xfe]);
    await write(backend.writer!, target(path('rows'), 'create', columns), [
      [1, 'one', bytes],
      [2, null, null],
      [1, 'uno', null], // the same key again: the later row wins, whole
    ]);
    expect(await space.client.hgetall(key('rows', '1'))).toEqual({ id: '1', name: 'uno' });
    expect(await space.client.hgetall(key('rows', '2'))).toEqual({ id: '2' });
    await write(backend.writer!, target(path('bytes'), 'create', columns), [[7, 'x', bytes]]);
    expect(await space.client.hgetBuffer(key('bytes', '7'), 'raw')).toEqual(Buffer.from(bytes));
  });

  it('append replaces same-key hashes whole; replace leaves keys of other types', async () => {
    await write(backend.writer!, target(path('mixed'), 'create', columns), [
      [1, 'one', null],
      [2, 'two', new Uint8Array([1])],
    ]);
    await space.client.set(key('mixed', 'counter'), '5');
    const narrow = [col('id', 'integer', false)];
    await write(backend.writer!, target(path('mixed'), 'append', narrow), [[2], [3]]);
    expect(await space.client.hgetall(key('mixed', '2'))).toEqual({ id: '2' });
    expect(await backend.count(path('mixed'), plain)).toBe(3);
    await write(backend.writer!, target(path('mixed'), 'replace', columns), [[9, 'nine', null]]);
    expect(await space.client.keys(`${space.prefix}mixed:*`)).toEqual(
      expect.arrayContaining([key('mixed', '9'), key('mixed', 'counter')]),
    );
    expect((await space.client.keys(`${space.prefix}mixed:*`)).length).toBe(2);
  });

  it('a row without a key value fails the write, and the target stays as it was', async () => {
    await write(backend.writer!, target(path('nullkey'), 'create', columns), [[1, 'a', null]]);
    const session = await backend.writer!.begin(target(path('nullkey'), 'replace', columns));
    await session.write([[2, 'b', null]]);
    await expectError(session.write([[null, 'c', null]]), 'invalid-input');
    await session.abort();
    expect(await space.client.keys(`${space.prefix}nullkey:*`)).toEqual([key('nullkey', '1')]);
    expect(await space.client.keys(`_strata_tmp:*:${space.prefix}*`)).toEqual([]);
  });

  it('a killed upload’s temporary keys are not the dataset; cleanup removes them once old', async () => {
    await write(backend.writer!, target(path('killed'), 'create', columns), [[1, 'a', null]]);
    const session = await backend.writer!.begin(target(path('killed'), 'replace', columns));
    await session.write([
      [2, 'b', null],
      [3, 'c', null],
    ]);
    // Never committed nor aborted: the app was killed.
    expect(await backend.count(path('killed'), plain)).toBe(1);
    expect((await space.client.keys(`_strata_tmp:*:${space.prefix}*`)).length).toBe(2);
    expect(await cleanupLeftovers(space.client)).toBe(0); // young: may still be running
    expect(await cleanupLeftovers(space.client, { olderThanMs: 0 })).toBeGreaterThanOrEqual(1);
    expect(await space.client.keys(`_strata_tmp:*:${space.prefix}*`)).toEqual([]);
    await session.abort();
  });
});
