/**
 * The queries the MongoDB backend sends, pinned against a recording stand-in for the few driver
 * calls it makes. This checks what is *asked* (sort, skip, limit, `_id` bounds, projections,
 * time limits) where no server exists; what a server *answers* is the integration tests' job.
 */
import type { Document, MongoClient } from 'mongodb';
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { ViewSpec } from '../../shared/model.js';
import { mongoBackend } from '../../electron/backends/mongodb/mongodb-backend.js';

interface Call {
  op: string;
  target: string;
  filter?: Document;
  options?: Document;
}

/** Documents with numeric `_id`s 1..n, found in `_id` order from `min` on, like the _id index. */
function fakeClient(n: number, failHinted = false) {
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: new BSON.Int32(i + 1),
    name: `p${i + 1}`,
    address: { city: i % 2 ? 'Oslo' : 'Rome' },
  }));
  const calls: Call[] = [];
  const collection = (target: string) => ({
    aggregate: (pipeline: Document[], options: Document) => {
      calls.push({ op: 'aggregate', target, filter: { pipeline }, options });
      return { toArray: async () => docs };
    },
    find: (filter: Document, options: Document) => {
      calls.push({ op: 'find', target, filter, options });
      return {
        toArray: async () => {
          if (failHinted && options.hint) throw Object.assign(new Error('bad hint'), { code: 2 });
          const min = (options.min as { _id?: BSON.Int32 } | undefined)?._id?.value ?? 0;
          const from = docs.filter((d) => d._id.value >= min);
          return from.slice(
            options.skip as number,
            (options.skip as number) + (options.limit as number),
          );
        },
      };
    },
    countDocuments: async (filter: Document, options: Document) => {
      calls.push({ op: 'count', target, filter, options });
      return 42;
    },
    estimatedDocumentCount: async () => n,
  });
  const db = (name: string) => ({
    admin: () => ({
      listDatabases: async () => ({
        databases: [{ name: 'admin' }, { name: 'shop' }, { name: 'local' }],
      }),
    }),
    listCollections: (filter: Document) => ({
      toArray: async () =>
        [
          { name: 'people', type: 'collection' },
          { name: 'adults', type: 'view' },
          { name: 'system.views', type: 'collection' },
        ].filter((c) => !filter.name || c.name === filter.name),
    }),
    collection: (collectionName: string) => collection(`${name}.${collectionName}`),
  });
  return { client: { db, close: async () => undefined } as unknown as MongoClient, calls };
}

const plain: ViewSpec = { sort: [], filters: [] };
const finds = (calls: Call[]) => calls.filter((c) => c.op === 'find');

describe('MongoDB backend queries', () => {
  it('builds the tree: user databases, collections with estimates, views without', async () => {
    const { client } = fakeClient(3);
    const tree = await mongoBackend(client, { kind: 'mongodb', url: 'mongodb://h' }).tree();
    expect(tree).toEqual([
      {
        id: 'shop',
        label: 'shop',
        kind: 'schema',
        path: ['shop'],
        children: [
          { id: 'shop.adults', label: 'adults', kind: 'view', path: ['shop', 'adults'] },
          {
            id: 'shop.people',
            label: 'people',
            kind: 'table',
            path: ['shop', 'people'],
            rowCount: 3,
            rowCountExact: false,
          },
        ],
      },
    ]);
  });

  it('samples 1,000 documents in _id order, read without promoting values', async () => {
    const { client, calls } = fakeClient(3);
    const backend = mongoBackend(client, { kind: 'mongodb', url: 'mongodb://h', database: 'shop' });
    const schema = await backend.describe(['people']);
    expect(schema.columns.map((c) => c.name)).toEqual(['_id', 'name', 'address.city']);
    expect(calls[0]).toMatchObject({
      op: 'aggregate',
      target: 'shop.people',
      filter: { pipeline: [{ $sample: { size: 1000 } }, { $sort: { _id: 1 } }] },
      options: { promoteValues: false, maxTimeMS: 60_000 },
    });
    await expect(backend.describe(['shop', 'nope'])).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      mongoBackend(client, { kind: 'mongodb', url: 'mongodb://h' }).describe(['people']),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('pages a plain collection from the last _id served, skipping only the boundary row', async () => {
    const { client, calls } = fakeClient(30);
    const backend = mongoBackend(client, { kind: 'mongodb', url: 'mongodb://h' });
    const path = ['shop', 'people'];
    const first = await backend.page(path, plain, 0, 10);
    expect(first.rows[0]).toEqual([1, 'p1', 'Rome']);
    const second = await backend.page(path, plain, 10, 10);
    expect(second.rows.map((r) => r[0])).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const [a, b] = finds(calls);
    expect(a!.options).toMatchObject({
      sort: [['_id', 1]],
      skip: 0,
      limit: 10,
      projection: { _id: 1, name: 1, address: 1 },
      promoteValues: false,
      maxTimeMS: 60_000,
    });
    expect(a!.options!.min).toBeUndefined();
    expect(b!.options).toMatchObject({
      min: { _id: new BSON.Int32(10) },
      hint: { _id: 1 },
      skip: 1,
      limit: 10,
    });
    // A jump a little past a boundary skips just the difference.
    const jump = await backend.page(path, plain, 23, 3);
    expect(jump.rows.map((r) => r[0])).toEqual([24, 25, 26]);
    expect(finds(calls)[2]!.options).toMatchObject({ min: { _id: new BSON.Int32(20) }, skip: 4 });
  });

  it('sorts and filters on the server, with skip, and never by _id bounds', async () => {
    const { client, calls } = fakeClient(30);
    const backend = mongoBackend(client, { kind: 'mongodb', url: 'mongodb://h' });
    const path = ['shop', 'people'];
    await backend.page(path, plain, 0, 10);
    const view: ViewSpec = {
      sort: [{ column: 'address.city', direction: 'desc' }],
      filters: [{ column: 'name', op: 'contains', value: 'p1' }],
    };
    await backend.page(path, view, 10, 10);
    expect(finds(calls)[1]).toMatchObject({
      filter: { name: { $regex: 'p1', $options: 'i' } },
      options: {
        sort: [
          ['address.city', -1],
          ['_id', 1],
        ],
        skip: 10,
        limit: 10,
      },
    });
    expect(finds(calls)[1]!.options!.min).toBeUndefined();
    expect(await backend.count(path, view)).toBe(42);
    expect(calls.find((c) => c.op === 'count')).toMatchObject({
      filter: { name: { $regex: 'p1', $options: 'i' } },
      options: { maxTimeMS: 60_000 },
    });
  });

  it('falls back to skipping when the server refuses the _id hint', async () => {
    const { client, calls } = fakeClient(30, true);
    const backend = mongoBackend(client, { kind: 'mongodb', url: 'mongodb://h' });
    const path = ['shop', 'people'];
    await backend.page(path, plain, 0, 10);
    const second = await backend.page(path, plain, 10, 5);
    expect(second.rows.map((r) => r[0])).toEqual([11, 12, 13, 14, 15]);
    // Once refused, it stops asking, and the sample is not taken again.
    await backend.page(path, plain, 15, 5);
    expect(calls.filter((c) => c.op === 'aggregate')).toHaveLength(1);
    expect(finds(calls).map((c) => c.options!.hint !== undefined)).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it('fetches one field for a cell, the whole document for $document', async () => {
    const { client, calls } = fakeClient(30);
    const backend = mongoBackend(client, { kind: 'mongodb', url: 'mongodb://h' });
    const path = ['shop', 'people'];
    const city = await backend.cell(path, plain, 4, 'address.city');
    expect(city).toMatchObject({ column: 'address.city', type: 'text', text: 'Rome' });
    expect(finds(calls)[0]!.options).toMatchObject({
      projection: { address: 1 },
      skip: 4,
      limit: 1,
    });
    const doc = await backend.cell(path, plain, 4, '$document');
    expect(doc.type).toBe('json');
    expect(JSON.parse(doc.text!)).toEqual({ _id: 5, name: 'p5', address: { city: 'Rome' } });
    expect(finds(calls)[1]!.options!.projection).toBeUndefined();
    const past = await backend.cell(path, plain, 99, 'name').catch((e: unknown) => e);
    expect(past).toBeInstanceOf(AppError);
    expect((past as AppError).code).toBe('not-found');
  });

  it('does not start work whose signal is already aborted', async () => {
    const { client, calls } = fakeClient(3);
    const backend = mongoBackend(client, { kind: 'mongodb', url: 'mongodb://h' });
    const controller = new AbortController();
    controller.abort();
    const error = await backend
      .page(['shop', 'people'], plain, 0, 10, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('cancelled');
    expect(calls).toEqual([]);
  });
});
