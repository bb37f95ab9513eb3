/**
 * MongoDB specifics on a real server (MONGODB_URL, or a mongod on PATH): nested fields as dotted
 * columns, BSON types shown faithfully and round-tripped through the document's JSON view,
 * views, the tree, paging by _id across _ids of mixed types, and cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BSON } from 'mongodb';
import { AppError } from '../../../shared/errors.js';
import type { Filter, ViewSpec } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { openMongo } from '../../../electron/backends/mongodb/mongodb-backend.js';
import {
  createMongoDatabase,
  startMongo,
  warnSkipped,
  type TestMongoDatabase,
} from '../../support/mongo.js';

const server = await startMongo();
const skip = typeof server === 'string' ? server : undefined;
warnSkipped('MongoDB document tests', skip);

const plain: ViewSpec = { sort: [], filters: [] };
const where = (...filters: Filter[]): ViewSpec => ({ sort: [], filters });
const oid = (n: number) => new BSON.ObjectId(n.toString(16).padStart(24, '0'));
const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';

const typed = {
  _id: oid(1),
  count: 7,
  ratio: new BSON.Double(0.25),
  big: BSON.Long.fromString('9007199254740993'),
  price: BSON.Decimal128.fromString('19.990'),
  at: new Date('2024-02-29T13:45:06.789Z'),
  bytes: new BSON.Binary(Buffer.from('hello'), 0),
  id: new BSON.UUID(uuid),
  address: { city: 'Oslo', geo: { lat: 59.91 } },
  tags: ['a', 'b'],
};

describe.skipIf(skip !== undefined)('MongoDB documents', () => {
  let db: TestMongoDatabase;
  let backend: Backend;
  let path: string[];

  beforeAll(async () => {
    if (typeof server === 'string') throw new Error(server);
    db = await createMongoDatabase(server);
    await db.db
      .collection('typed')
      .insertMany([
        typed,
        { _id: oid(2), count: 8, address: { city: 'Rome' }, at: new Date('2024-03-01T00:00:00Z') },
        { _id: oid(3), address: 'unknown' },
      ]);
    await db.db.createCollection('oslo', {
      viewOn: 'typed',
      pipeline: [{ $match: { 'address.city': 'Oslo' } }, { $project: { count: 1 } }],
    });
    // _ids of four BSON types, which sort numbers < strings < ObjectIds < dates.
    const mixed: BSON.Document[] = [
      ...Array.from({ length: 40 }, (_, i) => ({ _id: i, n: i })),
      ...Array.from({ length: 40 }, (_, i) => ({ _id: `s${String(i).padStart(2, '0')}`, n: i })),
      ...Array.from({ length: 40 }, (_, i) => ({ _id: oid(100 + i), n: i })),
      ...Array.from({ length: 40 }, (_, i) => ({ _id: new Date(Date.UTC(2020, 0, i + 1)), n: i })),
    ];
    await db.db.collection('mixed').insertMany(mixed.reverse());
    backend = await openMongo(db.config);
    path = [db.name, 'typed'];
  });

  afterAll(async () => {
    await backend?.close();
    await db?.drop();
    if (typeof server !== 'string') await server.stop();
  });

  it('describes nested fields as dotted columns with type and frequency', async () => {
    const schema = await backend.describe(path);
    expect(schema.key).toEqual(['_id']);
    expect(schema.columns.map((c) => [c.name, c.type, c.nativeType])).toEqual([
      ['_id', 'text', 'objectId · 100%'],
      ['count', 'integer', 'int · 67%'],
      ['ratio', 'float', 'double · 33%'],
      ['big', 'bigint', 'long · 33%'],
      ['price', 'decimal', 'decimal · 33%'],
      ['at', 'timestamp', 'date · 67%'],
      ['bytes', 'blob', 'binData · 33%'],
      ['id', 'blob', 'binData · 33%'],
      ['address', 'text', 'string · 33%'],
      ['address.city', 'text', 'string · 67%'],
      ['address.geo.lat', 'float', 'double · 33%'],
      ['tags', 'json', 'array · 33%'],
    ]);
  });

  it('shows ObjectId, Date, Decimal128, Long and Binary faithfully', async () => {
    const { rows } = await backend.page(path, plain, 0, 10);
    expect(rows[0]).toEqual([
      oid(1).toHexString(),
      7,
      0.25,
      { $bigint: '9007199254740993' },
      '19.990',
      '2024-02-29T13:45:06.789Z',
      { $blob: 5, head: '68656c6c6f' },
      { $blob: 16, head: uuid.replace(/-/g, '') },
      null,
      'Oslo',
      59.91,
      '["a","b"]',
    ]);
    expect(rows[2]![8]).toBe('unknown');
    const bytes = await backend.cell(path, plain, 0, 'id');
    expect(bytes.text).toBe(`[subtype 0x04 uuid] ${uuid.replace(/-/g, '')}`);
  });

  it('round-trips every type through the document’s JSON view', async () => {
    const detail = await backend.cell(path, plain, 0, '$document');
    expect(detail.type).toBe('json');
    const back = BSON.EJSON.parse(detail.text!, { relaxed: false }) as BSON.Document;
    const stored = await db.db
      .collection('typed')
      .findOne({ _id: oid(1) }, { promoteValues: false });
    expect(BSON.serialize(back)).toEqual(BSON.serialize(stored!));
  });

  it('filters by typed values and nested paths, and sorts by them', async () => {
    const ids = async (view: ViewSpec) =>
      (await backend.page(path, view, 0, 10)).rows.map((r) => r[0]);
    expect(await ids(where({ column: '_id', op: 'eq', value: oid(2).toHexString() }))).toEqual([
      oid(2).toHexString(),
    ]);
    expect(await ids(where({ column: 'address.city', op: 'eq', value: 'Rome' }))).toEqual([
      oid(2).toHexString(),
    ]);
    expect(await ids(where({ column: 'at', op: 'eq', value: '2024-02-29' }))).toEqual([
      oid(1).toHexString(),
    ]);
    expect(await ids(where({ column: 'price', op: 'range', min: '19.99', max: '20' }))).toEqual([
      oid(1).toHexString(),
    ]);
    expect(await ids(where({ column: '_id', op: 'contains', value: '0000000002' }))).toEqual([
      oid(2).toHexString(),
    ]);
    expect(await ids(where({ column: 'tags', op: 'eq', value: 'b' }))).toEqual([
      oid(1).toHexString(),
    ]);
    expect(await backend.count(path, where({ column: 'count', op: 'isNull' }))).toBe(1);
    const sorted = await ids({
      sort: [{ column: 'address.city', direction: 'desc' }],
      filters: [],
    });
    expect(sorted).toEqual([oid(2), oid(1), oid(3)].map((o) => o.toHexString()));
  });

  it('lists databases, collections with estimated counts, and views', async () => {
    const tree = await backend.tree();
    expect(tree.map((n) => n.label)).not.toContain('admin');
    const mine = tree.find((n) => n.label === db.name)!;
    expect(mine.kind).toBe('schema');
    expect(mine.children?.map((c) => [c.label, c.kind])).toEqual([
      ['mixed', 'table'],
      ['oslo', 'view'],
      ['typed', 'table'],
    ]);
    expect(mine.children?.[2]).toMatchObject({ rowCount: 3, rowCountExact: false });
    expect(mine.children?.[1]?.rowCount).toBeUndefined();
    const view = [db.name, 'oslo'];
    expect((await backend.describe(view)).kind).toBe('view');
    expect((await backend.page(view, plain, 0, 10)).rows).toEqual([[oid(1).toHexString(), 7]]);
    await expect(backend.describe([db.name, 'nope'])).rejects.toMatchObject({ code: 'not-found' });
  });

  it('pages by _id without losing or repeating a row across _ids of mixed types', async () => {
    const mixed = [db.name, 'mixed'];
    const all = (await backend.page(mixed, plain, 0, 200)).rows.map((r) => JSON.stringify(r[0]));
    expect(all).toHaveLength(160);
    const paged: string[] = [];
    for (let offset = 0; offset < 160; offset += 9) {
      const { rows } = await backend.page(mixed, plain, offset, 9);
      paged.push(...rows.map((r) => JSON.stringify(r[0])));
    }
    expect(paged).toEqual(all);
    expect(JSON.parse(all[39]!)).toBe(39);
    expect(JSON.parse(all[40]!)).toBe('s00');
    expect(JSON.parse(all[120]!)).toBe('2020-01-01T00:00:00.000Z');
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await backend
      .page(path, plain, 0, 10, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('cancelled');
  });
});
