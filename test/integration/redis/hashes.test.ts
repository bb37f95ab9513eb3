/**
 * Hashes under a prefix as one table, over a real Redis: the conformance fixture's people, with
 * what the shared suite skips for Redis (it has no server sort or filter) checked against the
 * in-memory view instead, with the same expectations; and the refusal to sort more than 100,000
 * keys, with a hint to narrow the pattern.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filter, SortSpec, ViewSpec } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { redisFactory } from '../../../electron/backends/redis/redis-backend.js';
import { people, type Person } from '../conformance/fixture.js';
import { sortedPeople } from '../conformance/normalise.js';
import { redisAvailable, testKeyspace, type TestKeyspace } from './support.js';

const skip = await redisAvailable();
if (skip) console.warn(`⚠ SKIPPED Redis hashes as a table: ${skip}`);
const db = 11;
const view = (sort: SortSpec[] = [], filters: Filter[] = []): ViewSpec => ({ sort, filters });

describe.skipIf(skip !== undefined)('Redis hashes as a table', () => {
  let space: TestKeyspace;
  let backend: Backend;
  let path: string[];

  beforeAll(async () => {
    space = await testKeyspace(db);
    const pipeline = space.client.pipeline();
    for (const p of people) {
      pipeline.hset(`${space.prefix}people:${p.id}`, {
        name: p.name,
        age: String(p.age),
        balance: p.balance,
        active: String(p.active),
        born: p.born,
        ...(p.note === null ? {} : { note: p.note }),
      });
    }
    // A string among the hashes is not a row: the table is made of hashes only.
    pipeline.set(`${space.prefix}people:not-a-hash`, 'x');
    await pipeline.exec();
    path = [`db${db}`, 'hashes', `${space.prefix}people:`];
    backend = await redisFactory.open(space.config);
  });
  afterAll(async () => {
    await backend?.close();
    await space?.cleanup();
  });

  const expectIds = async (v: ViewSpec, expected: Person[]) => {
    const rows = (await backend.page(path, v, 0, 100)).rows;
    expect(rows.map((r) => Number(r[0]))).toEqual(expected.map((p) => p.id));
    expect(await backend.count(path, v)).toBe(expected.length);
  };

  it('sorts in memory, ties broken by the key', async () => {
    const age = view([{ column: 'age', direction: 'asc' }]);
    // The key column holds integers, so a sort by it is numeric.
    await expectIds(view([{ column: 'key', direction: 'asc' }]), people);
    await expectIds(age, sortedPeople(people, [['age', 'asc']]));
    await expectIds(
      view([{ column: 'age', direction: 'desc' }]),
      sortedPeople(people, [['age', 'desc']]),
    );
    const twoColumns = view([
      { column: 'active', direction: 'asc' },
      { column: 'age', direction: 'desc' },
    ]);
    await expectIds(
      twoColumns,
      sortedPeople(people, [
        ['active', 'asc'],
        ['age', 'desc'],
      ]),
    );
    const names = view([{ column: 'name', direction: 'desc' }]);
    await expectIds(names, sortedPeople(people, [['name', 'desc']]));
    const paged: number[] = [];
    for (let offset = 0; offset < 50; offset += 6) {
      paged.push(...(await backend.page(path, age, offset, 6)).rows.map((r) => Number(r[0])));
    }
    expect(paged).toEqual(sortedPeople(people, [['age', 'asc']]).map((p) => p.id));
  });

  it('filters in memory by eq, contains, range, isNull and notNull', async () => {
    const byKey: SortSpec[] = [{ column: 'key', direction: 'asc' }];
    const eq = (column: string, value: string): Filter => ({ column, op: 'eq', value });
    const check = (filters: Filter[], expected: Person[]) =>
      expectIds(view(byKey, filters), expected);
    await check(
      [eq('age', '25')],
      people.filter((p) => p.age === 25),
    );
    await check(
      [eq('active', 'true')],
      people.filter((p) => p.active),
    );
    await check(
      [eq('note', '')],
      people.filter((p) => p.note === ''),
    );
    await check([eq('balance', people[4]!.balance)], [people[4]!]);
    await check(
      [{ column: 'name', op: 'contains', value: 'ada' }],
      people.filter((p) => p.name.startsWith('Ada')),
    );
    await check([{ column: 'note', op: 'contains', value: '%' }], []);
    await check(
      [{ column: 'age', op: 'range', min: '22', max: '24' }],
      people.filter((p) => p.age >= 22 && p.age <= 24),
    );
    await check(
      [{ column: 'born', op: 'range', min: '1960-01-01', max: '1970-12-31' }],
      people.filter((p) => p.born >= '1960-01-01' && p.born <= '1970-12-31'),
    );
    await check(
      [{ column: 'note', op: 'isNull' }],
      people.filter((p) => p.note === null),
    );
    await check(
      [{ column: 'note', op: 'notNull' }],
      people.filter((p) => p.note !== null),
    );
    await expect(backend.page(path, view([], [eq('age', 'abc')]), 0, 10)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('age'),
    });
    await expect(
      backend.page(path, view([{ column: 'nope', direction: 'asc' }]), 0, 10),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('nope'),
    });
  });

  it('refuses to sort more than 100,000 keys, pointing at a narrower pattern', async () => {
    const many = `${space.prefix}many:`;
    for (let start = 0; start < 100_001; start += 10_000) {
      const pipeline = space.client.pipeline();
      for (let i = start; i < Math.min(start + 10_000, 100_001); i++)
        pipeline.set(`${many}${i}`, '1');
      await pipeline.exec();
    }
    const keys = [`db${db}`, 'keys', `${many}*`];
    const sorted = view([{ column: 'key', direction: 'asc' }]);
    await expect(backend.page(keys, sorted, 0, 10)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('narrower key pattern'),
    });
    // The plain view still pages, and counts exactly.
    expect((await backend.page(keys, view(), 0, 10)).rows).toHaveLength(10);
    expect(await backend.count(keys, view())).toBe(100_001);
  });
});
