/**
 * The key browser over a real Redis: SCAN paging across 6,000 keys with no key repeated or
 * missed, however the pages are cut; exact and cancellable counts; the tree's namespaces from the
 * SCAN sample; the TTL, memory and length columns; in-memory sort and filter of the key list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { TreeNode, ViewSpec } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { redisFactory } from '../../../electron/backends/redis/redis-backend.js';
import { redisAvailable, testKeyspace, type TestKeyspace } from './support.js';

const skip = await redisAvailable();
if (skip) console.warn(`⚠ SKIPPED Redis key browser: ${skip}`);
const db = 10;
const plain: ViewSpec = { sort: [], filters: [] };

describe.skipIf(skip !== undefined)('Redis key browser', () => {
  let space: TestKeyspace;
  let backend: Backend;
  let all: string[];
  const keysPath = (pattern: string) => [`db${db}`, 'keys', pattern];

  beforeAll(async () => {
    space = await testKeyspace(db);
    const p = space.prefix;
    const pipeline = space.client.pipeline();
    all = [];
    for (let i = 0; i < 4_000; i++) all.push(`${p}user:${i}`);
    for (let i = 0; i < 1_500; i++) all.push(`${p}order:${i}`);
    for (let i = 0; i < 500; i++) all.push(`${p}session:${i}`);
    for (const key of all) {
      if (key.includes(':user:')) pipeline.hset(key, 'name', key, 'n', '1');
      else if (key.includes(':order:')) pipeline.set(key, 'x'.repeat(100));
      else pipeline.set(key, 's', 'EX', 3_600);
    }
    pipeline.rpush(`${p}misc:list`, 'a', 'b', 'c');
    all.push(`${p}misc:list`);
    await pipeline.exec();
    backend = await redisFactory.open(space.config);
  });
  afterAll(async () => {
    await backend?.close();
    await space?.cleanup();
  });

  const keysOf = async (pattern: string, offset: number, limit: number, view = plain) =>
    (await backend.page(keysPath(pattern), view, offset, limit)).rows.map((r) => String(r[0]));

  it('pages through 6,001 keys by SCAN cursor without repeating or missing one', async () => {
    const pattern = `${space.prefix}*`;
    const seen: string[] = [];
    for (let offset = 0; ; offset += 777) {
      const page = await keysOf(pattern, offset, 777);
      seen.push(...page);
      if (page.length < 777) break;
    }
    expect(seen.length).toBe(all.length);
    expect(new Set(seen).size).toBe(all.length);
    expect([...seen].sort()).toEqual([...all].sort());
    // Pages cut differently, and jumps backwards and forwards, agree with the first pass.
    expect(await keysOf(pattern, 1_000, 250)).toEqual(seen.slice(1_000, 1_250));
    expect(await keysOf(pattern, 5_990, 50)).toEqual(seen.slice(5_990));
    expect(await keysOf(pattern, 3, 4)).toEqual(seen.slice(3, 7));
    expect(await keysOf(pattern, 6_001, 10)).toEqual([]);
    expect(await backend.count(keysPath(pattern), plain)).toBe(all.length);
  });

  it('counts a narrower pattern exactly, and the first page does not wait for the count', async () => {
    const pattern = `${space.prefix}order:*`;
    const first = await keysOf(pattern, 0, 100);
    expect(first).toHaveLength(100);
    expect(first.every((k) => k.startsWith(`${space.prefix}order:`))).toBe(true);
    expect(await backend.count(keysPath(pattern), plain)).toBe(1_500);
    expect(await backend.count(keysPath(`${space.prefix}nothing:*`), plain)).toBe(0);
  });

  it('stops counting when the count is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await backend
      .count(keysPath(`${space.prefix}session:*`), plain, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('cancelled');
    // A cancelled count leaves the dataset usable.
    expect(await backend.count(keysPath(`${space.prefix}session:*`), plain)).toBe(500);
  });

  it('shows type, TTL, memory and length per key', async () => {
    const schema = await backend.describe(keysPath('*'));
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['key', 'text'],
      ['type', 'text'],
      ['ttl', 'integer'],
      ['memory', 'integer'],
      ['length', 'integer'],
    ]);
    expect(schema.key).toEqual(['key']);
    const row = async (key: string) => (await backend.page(keysPath(key), plain, 0, 1)).rows[0];
    const session = await row(`${space.prefix}session:7`);
    expect(session?.[1]).toBe('string');
    expect(session?.[2]).toBeGreaterThan(3_500);
    expect(session?.[2]).toBeLessThanOrEqual(3_600);
    expect(session?.[4]).toBe(1);
    const order = await row(`${space.prefix}order:7`);
    expect(order?.[2]).toBeNull();
    expect(order?.[3]).toBeGreaterThanOrEqual(100);
    expect(order?.[4]).toBe(100);
    expect(await row(`${space.prefix}user:7`)).toEqual([
      `${space.prefix}user:7`,
      'hash',
      null,
      expect.any(Number),
      2,
    ]);
    expect((await row(`${space.prefix}misc:list`))?.slice(1, 3)).toEqual(['list', null]);
  });

  it('sorts and filters the key list in memory', async () => {
    const view: ViewSpec = {
      sort: [{ column: 'memory', direction: 'desc' }],
      filters: [{ column: 'type', op: 'eq', value: 'string' }],
    };
    const pattern = `${space.prefix}*`;
    const page = (await backend.page(keysPath(pattern), view, 0, 10)).rows;
    expect(page.every((r) => r[1] === 'string')).toBe(true);
    expect(String(page[0]?.[0])).toContain(':order:');
    expect(await backend.count(keysPath(pattern), view)).toBe(2_000);
    const ttl: ViewSpec = { sort: [], filters: [{ column: 'ttl', op: 'notNull' }] };
    expect(await backend.count(keysPath(pattern), ttl)).toBe(500);
    const bad: ViewSpec = { sort: [], filters: [{ column: 'ttl', op: 'eq', value: 'soon' }] };
    await expect(backend.count(keysPath(pattern), bad)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('ttl'),
    });
  });

  it('groups the SCAN sample into namespaces, with hashes offered as a table', async () => {
    const tree = await backend.tree();
    const dbNode = tree.find((n) => n.label === `db${db}`);
    expect(dbNode).toMatchObject({ kind: 'schema', rowCountExact: true });
    expect(dbNode?.rowCount).toBeGreaterThanOrEqual(all.length);
    const children = dbNode?.children ?? [];
    const node = (label: string): TreeNode | undefined => children.find((c) => c.label === label);
    expect(node('* (all keys)')).toMatchObject({ kind: 'keyspace', path: keysPath('*') });
    const users = node(`${space.prefix}user:*`);
    expect(users).toMatchObject({ kind: 'keyspace', rowCountExact: false });
    expect(node(`${space.prefix}order:*`)?.rowCount).toBeGreaterThan(0);
    expect(node(`${space.prefix}user:* as a table`)).toMatchObject({
      kind: 'table',
      path: [`db${db}`, 'hashes', `${space.prefix}user:`],
    });
    // Strings are not hashes: no table is offered for them.
    expect(node(`${space.prefix}order:* as a table`)).toBeUndefined();
  });
});
