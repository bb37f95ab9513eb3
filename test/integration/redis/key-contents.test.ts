/**
 * One key's contents over a real Redis, for every type: a string (text and binary), a hash with a
 * binary value, a long list paged by index, a set paged by SSCAN, a sorted set in score order, and
 * a stream paged by exclusive ids, plus a key that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewSpec } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { redisFactory } from '../../../electron/backends/redis/redis-backend.js';
import { redisAvailable, testKeyspace, type TestKeyspace } from './support.js';

const skip = await redisAvailable();
if (skip) console.warn(`⚠ SKIPPED Redis key contents: ${skip}`);
const db = 10;
const plain: ViewSpec = { sort: [], filters: [] };
const binary = Buffer.from([0xff, 0xfe, 0x00, 0x41]);

describe.skipIf(skip !== undefined)('Redis key contents', () => {
  let space: TestKeyspace;
  let backend: Backend;
  const path = (name: string) => [`db${db}`, 'key', `${space.prefix}${name}`];
  const columnsOf = async (name: string) =>
    (await backend.describe(path(name))).columns.map((c) => `${c.name}:${c.type}`);
  const rowsOf = async (name: string, offset = 0, limit = 100, view = plain) =>
    (await backend.page(path(name), view, offset, limit)).rows;

  beforeAll(async () => {
    space = await testKeyspace(db);
    const k = (name: string) => `${space.prefix}${name}`;
    const c = space.client;
    await c.set(k('text'), 'héllo <b>world</b>');
    await c.set(k('bytes'), binary);
    await c.set(k('long'), 'x'.repeat(5_000));
    await c.hset(k('hash'), 'name', 'Ada', 'avatar', binary, 'age', '36');
    await c.rpush(k('list'), ...Array.from({ length: 2_500 }, (_, i) => `item ${i}`));
    await c.sadd(k('set'), ...Array.from({ length: 600 }, (_, i) => `m${i}`));
    await c.zadd(k('zset'), 3, 'three', 1, 'one', 2.5, 'two-and-a-half', '-inf', 'bottom');
    const stream = c.pipeline();
    for (let i = 1; i <= 250; i++) {
      const fields =
        i === 200 ? ['temp', String(i), 'late', 'yes'] : ['temp', String(i), 'unit', 'C'];
      stream.xadd(k('stream'), `1000-${i}`, ...fields);
    }
    await stream.exec();
    backend = await redisFactory.open(space.config);
  });
  afterAll(async () => {
    await backend?.close();
    await space?.cleanup();
  });

  it('shows a string as one value: text as text, other bytes as a blob', async () => {
    expect(await columnsOf('text')).toEqual(['value:text']);
    expect(await rowsOf('text')).toEqual([['héllo <b>world</b>']]);
    expect(await backend.count(path('text'), plain)).toBe(1);
    expect(await rowsOf('bytes')).toEqual([[{ $blob: 4, head: 'fffe0041' }]]);
    expect(await backend.cell(path('bytes'), plain, 0, 'value')).toMatchObject({
      type: 'blob',
      text: 'fffe0041',
      byteLength: 4,
    });
    // A long value travels cut in the page and whole in the value viewer.
    expect(await rowsOf('long')).toEqual([[{ $text: 'x'.repeat(1_000), length: 5_000 }]]);
    expect((await backend.cell(path('long'), plain, 0, 'value')).text).toHaveLength(5_000);
  });

  it('shows a hash as fields and values, binary values as blobs', async () => {
    expect(await columnsOf('hash')).toEqual(['field:text', 'value:text']);
    const rows = await rowsOf('hash');
    expect(rows).toContainEqual(['name', 'Ada']);
    expect(rows).toContainEqual(['avatar', { $blob: 4, head: 'fffe0041' }]);
    expect(await backend.count(path('hash'), plain)).toBe(3);
  });

  it('pages a list by index', async () => {
    expect(await columnsOf('list')).toEqual(['index:integer', 'value:text']);
    expect(await rowsOf('list', 1_998, 3)).toEqual([
      [1_998, 'item 1998'],
      [1_999, 'item 1999'],
      [2_000, 'item 2000'],
    ]);
    expect((await rowsOf('list', 0, 2_500)).length).toBe(2_500);
    expect(await rowsOf('list', 2_499, 10)).toEqual([[2_499, 'item 2499']]);
    expect(await backend.count(path('list'), plain)).toBe(2_500);
    const sorted: ViewSpec = { sort: [{ column: 'index', direction: 'desc' }], filters: [] };
    expect(await rowsOf('list', 0, 1, sorted)).toEqual([[2_499, 'item 2499']]);
  });

  it('pages a set by SSCAN without repeating a member', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 700; offset += 64) {
      seen.push(...(await rowsOf('set', offset, 64)).map((r) => String(r[0])));
    }
    expect(seen).toHaveLength(600);
    expect(new Set(seen).size).toBe(600);
    expect(await backend.count(path('set'), plain)).toBe(600);
  });

  it('shows a sorted set in score order, infinite scores as Redis writes them', async () => {
    expect(await columnsOf('zset')).toEqual(['member:text', 'score:float']);
    expect(await rowsOf('zset')).toEqual([
      ['bottom', '-inf'],
      ['one', 1],
      ['two-and-a-half', 2.5],
      ['three', 3],
    ]);
    expect(await rowsOf('zset', 1, 2)).toEqual([
      ['one', 1],
      ['two-and-a-half', 2.5],
    ]);
  });

  it('pages a stream by exclusive ids, with one column per field and the rest as JSON', async () => {
    expect(await columnsOf('stream')).toEqual([
      'id:text',
      'temp:integer',
      'unit:text',
      'other_fields:json',
    ]);
    const ids: string[] = [];
    for (let offset = 0; offset < 300; offset += 33) {
      ids.push(...(await rowsOf('stream', offset, 33)).map((r) => String(r[0])));
    }
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => `1000-${i + 1}`));
    expect(await rowsOf('stream', 199, 1)).toEqual([['1000-200', 200, null, '{"late":"yes"}']]);
    expect(await backend.count(path('stream'), plain)).toBe(250);
  });

  it('says plainly when a key does not exist', async () => {
    await expect(backend.describe(path('no-such-key'))).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('no-such-key'),
    });
    await expect(backend.describe([`db${db}`, 'nonsense', 'x'])).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});
