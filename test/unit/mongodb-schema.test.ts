/** Schema inference from a sample of documents: flattening, types, frequencies, nullability. */
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import {
  fieldValue,
  inferSchema,
  percent,
  valueAt,
} from '../../electron/backends/mongodb/schema-inference.js';

const { Decimal128, Double, Int32, Long, ObjectId, Binary } = BSON;

/** Documents as the backend reads them (int32/double/int64 keep their wrappers). */
const read = (docs: BSON.Document[]) =>
  docs.map((d) => BSON.deserialize(BSON.serialize(d), { promoteValues: false }));

const id = (n: number) => new ObjectId(n.toString(16).padStart(24, '0'));

describe('inferSchema', () => {
  it('flattens nested documents to dotted paths, in first-seen order, _id first', () => {
    const docs = read([
      { _id: id(1), name: 'a', address: { city: 'Oslo', geo: { lat: 1.5 } } },
      { name: 'b', _id: id(2), address: { zip: '0150', city: 'Rome' } },
    ]);
    const { schema, fields } = inferSchema(docs, 'table');
    expect(schema.columns.map((c) => c.name)).toEqual([
      '_id',
      'name',
      'address.city',
      'address.geo.lat',
      'address.zip',
    ]);
    expect(schema.key).toEqual(['_id']);
    expect(schema.kind).toBe('table');
    expect(fields.find((f) => f.column.name === 'address.geo.lat')?.segments).toEqual([
      'address',
      'geo',
      'lat',
    ]);
  });

  it('maps each BSON type to a logical type', () => {
    const docs = read([
      {
        _id: id(1),
        i: new Int32(1),
        l: Long.fromNumber(2),
        d: new Double(1.5),
        dec: Decimal128.fromString('1.1'),
        b: true,
        at: new Date('2020-01-01T10:00:00Z'),
        day: new Date('2020-01-01T00:00:00Z'),
        s: 'x',
        bin: new Binary(Buffer.from([1])),
        arr: [1, 2],
        ts: new BSON.Timestamp({ t: 1, i: 1 }),
        nul: null,
      },
    ]);
    const types = Object.fromEntries(
      inferSchema(docs, 'table').schema.columns.map((c) => [c.name, c.type]),
    );
    expect(types).toEqual({
      _id: 'text',
      i: 'integer',
      l: 'bigint',
      d: 'float',
      dec: 'decimal',
      b: 'boolean',
      at: 'timestamp',
      day: 'date',
      s: 'text',
      bin: 'blob',
      arr: 'json',
      ts: 'text',
      nul: 'unknown',
    });
  });

  it('shows frequency and types in nativeType, dominant type wins, missing or null is nullable', () => {
    const docs = read([
      ...Array.from({ length: 7 }, (_, i) => ({ _id: i, code: `c${i}`, note: 'n' })),
      { _id: 7, code: 8, note: null },
      { _id: 8 },
      { _id: 9, code: 'c9', note: 'n' },
    ]);
    const { schema } = inferSchema(docs, 'table');
    expect(schema.columns).toEqual([
      { name: '_id', type: 'integer', nativeType: 'int · 100%', nullable: false },
      {
        name: 'code',
        type: 'text',
        nativeType: 'string|int (89%/11%) · 90%',
        nullable: true,
      },
      { name: 'note', type: 'text', nativeType: 'string · 80%', nullable: true },
    ]);
  });

  it('keeps arrays, maps with many keys, odd keys and deep documents whole, as json', () => {
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`user${i}`, i]));
    let deep: BSON.Document = { leaf: 1 };
    for (let i = 0; i < 10; i += 1) deep = { down: deep };
    const docs = read([
      { _id: 1, tags: [{ a: 1 }], scores: wide, odd: { 'a.b': 1 }, op: { $x: 1 }, deep },
    ]);
    const names = inferSchema(docs, 'table').schema.columns.map((c) => [c.name, c.type]);
    expect(names).toEqual([
      ['_id', 'integer'],
      ['tags', 'json'],
      ['scores', 'json'],
      ['odd', 'json'],
      ['op', 'json'],
      // Six levels of path, the rest of the document as json.
      ['deep.down.down.down.down.down', 'json'],
    ]);
  });

  it('gives a path that is a document in some rows and text in others a column of its own', () => {
    const docs = read([
      { _id: 1, where: { city: 'Oslo' } },
      { _id: 2, where: 'unknown' },
    ]);
    const { schema, fields } = inferSchema(docs, 'table');
    expect(schema.columns.map((c) => [c.name, c.nativeType])).toEqual([
      ['_id', 'int · 100%'],
      ['where', 'string · 50%'],
      ['where.city', 'string · 50%'],
    ]);
    const where = fields[1]!;
    expect(fieldValue(docs[0], where)).toBeUndefined();
    expect(fieldValue(docs[1], where)).toBe('unknown');
    expect(fieldValue(docs[0], fields[2]!)).toBe('Oslo');
  });

  it('keeps a view’s _id out of the key, and gives an empty collection an _id column', () => {
    const view = inferSchema(read([{ total: 1 }]), 'view');
    expect(view.schema.key).toEqual([]);
    expect(view.schema.columns.map((c) => c.name)).toEqual(['total']);
    const empty = inferSchema([], 'table');
    expect(empty.schema.columns).toEqual([
      { name: '_id', type: 'text', nativeType: 'objectId · no documents sampled', nullable: false },
    ]);
    expect(empty.schema.key).toEqual(['_id']);
  });

  it('keeps a compound _id whole, as the json key column', () => {
    const { schema } = inferSchema(read([{ _id: { region: 'eu', n: 1 }, v: 1 }]), 'table');
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['_id', 'json'],
      ['v', 'integer'],
    ]);
    expect(schema.key).toEqual(['_id']);
  });

  it('names a dotted top-level key apart from the nested path it would collide with', () => {
    const docs = read([{ _id: 1, a: { b: 1 }, 'a.b': 2 }]);
    const { schema, fields } = inferSchema(docs, 'table');
    expect(schema.columns.map((c) => c.name)).toEqual(['_id', 'a.b', 'a.b (2)']);
    expect(fieldValue(docs[0], fields[2]!)).toEqual(new Int32(2));
  });
});

describe('helpers', () => {
  it('rounds percentages without claiming all or none when it is not so', () => {
    expect(percent(999, 1000)).toBe('99%');
    expect(percent(1, 1000)).toBe('1%');
    expect(percent(1000, 1000)).toBe('100%');
    expect(percent(0, 1000)).toBe('0%');
    expect(percent(1, 3)).toBe('33%');
  });

  it('reads a path and stops at anything that is not a document', () => {
    const doc = { a: { b: [1] }, s: 'x' };
    expect(valueAt(doc, ['a', 'b'])).toEqual([1]);
    expect(valueAt(doc, ['a', 'b', '0'])).toBeUndefined();
    expect(valueAt(doc, ['s', 'length'])).toBeUndefined();
    expect(valueAt(doc, ['toString'])).toBeUndefined();
  });
});
