/** BSON values as cells, as the value viewer's text, and as the document's Extended JSON. */
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { Column } from '../../shared/model.js';
import {
  bsonTypeOf,
  dateText,
  describeMongoCell,
  extendedJsonText,
  mongoCell,
  toExtendedJson,
} from '../../electron/backends/mongodb/bson-values.js';

const { Binary, Decimal128, Double, Long, ObjectId, Timestamp, UUID } = BSON;

/** Values as the backend reads them: serialised and read back with promoteValues off. */
function roundTrip<T extends BSON.Document>(doc: T): BSON.Document {
  return BSON.deserialize(BSON.serialize(doc), { promoteValues: false, bsonRegExp: true });
}

const oid = '65a1b2c3d4e5f60718293a4b';
const doc = roundTrip({
  _id: new ObjectId(oid),
  int: 7,
  dbl: new Double(2.5),
  whole: new Double(3),
  big: Long.fromString('9007199254740993'),
  small: Long.fromNumber(42),
  dec: Decimal128.fromString('1234.5600'),
  at: new Date('2024-02-29T13:45:06.789Z'),
  day: new Date('1999-12-31T00:00:00Z'),
  bin: new Binary(Buffer.from('hello'), 0),
  uuid: new UUID('0f8fad5b-d9cb-469f-a165-70867728950e'),
  ts: new Timestamp({ t: 1700000000, i: 3 }),
  re: new BSON.BSONRegExp('^a.b$', 'i'),
  nested: { city: 'Oslo', zip: 150 },
  list: [1, 'two', { three: 3 }],
  nothing: null,
  nan: new Double(Number.NaN),
  negZero: new Double(-0),
});

describe('bsonTypeOf', () => {
  it('names every type by MongoDB’s $type alias', () => {
    expect(Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, bsonTypeOf(v)]))).toEqual({
      _id: 'objectId',
      int: 'int',
      dbl: 'double',
      whole: 'double',
      big: 'long',
      small: 'long',
      dec: 'decimal',
      at: 'date',
      day: 'date',
      bin: 'binData',
      uuid: 'binData',
      ts: 'timestamp',
      re: 'regex',
      nested: 'object',
      list: 'array',
      nothing: 'null',
      nan: 'double',
      negZero: 'double',
    });
    expect(bsonTypeOf(undefined)).toBe('undefined');
    expect(bsonTypeOf(new BSON.MinKey())).toBe('minKey');
    expect(bsonTypeOf(new BSON.Code('x'))).toBe('javascript');
    expect(bsonTypeOf(new BSON.DBRef('c', new ObjectId(oid)))).toBe('dbRef');
  });
});

describe('mongoCell', () => {
  const cell = (key: string, type: Column['type'] = 'text') => mongoCell(doc[key], type);

  it('shows ObjectId as hex, dates as ISO with ms and Z, decimals exactly', () => {
    expect(cell('_id')).toBe(oid);
    expect(cell('at', 'timestamp')).toBe('2024-02-29T13:45:06.789Z');
    expect(cell('dec', 'decimal')).toBe('1234.5600');
  });

  it('keeps a day-only date column short, but never hides a time of day', () => {
    expect(cell('day', 'date')).toBe('1999-12-31');
    expect(cell('day', 'timestamp')).toBe('1999-12-31T00:00:00.000Z');
    expect(cell('at', 'date')).toBe('2024-02-29T13:45:06.789Z');
    expect(dateText(new Date(Number.NaN), 'timestamp')).toBe('Invalid Date');
  });

  it('keeps int64 exact: a number when safe, {$bigint} past 2^53', () => {
    expect(cell('small', 'bigint')).toBe(42);
    expect(cell('big', 'bigint')).toEqual({ $bigint: '9007199254740993' });
    expect(cell('int', 'integer')).toBe(7);
    expect(cell('dbl', 'float')).toBe(2.5);
    expect(cell('nan', 'float')).toBe('NaN');
  });

  it('shows binary as a blob with its head, whatever the subtype', () => {
    expect(cell('bin', 'blob')).toEqual({ $blob: 5, head: Buffer.from('hello').toString('hex') });
    expect(cell('uuid', 'blob')).toEqual({ $blob: 16, head: '0f8fad5bd9cb469fa16570867728950e' });
  });

  it('shows documents and arrays as Extended JSON text, other types as the shell does', () => {
    expect(cell('nested', 'json')).toBe('{"city":"Oslo","zip":150}');
    expect(cell('list', 'json')).toBe('[1,"two",{"three":3}]');
    expect(cell('ts')).toBe('Timestamp({ t: 1700000000, i: 3 })');
    expect(cell('re')).toBe('/^a.b$/i');
    expect(cell('nothing')).toBeNull();
    expect(mongoCell(undefined, 'text')).toBeNull();
  });

  it('truncates long text and long JSON like every engine', () => {
    const long = mongoCell('x'.repeat(5_000), 'text');
    expect(long).toMatchObject({ length: 5_000 });
    const array = mongoCell(
      Array.from({ length: 1_000 }, (_, i) => i),
      'json',
    );
    expect(array).toMatchObject({ $text: expect.stringMatching(/^\[0,1,2,/) as unknown });
  });
});

describe('Extended JSON', () => {
  it('is relaxed where lossless and canonical where relaxed would lose a value', () => {
    expect(toExtendedJson(doc)).toMatchObject({
      _id: { $oid: oid },
      int: 7,
      dbl: 2.5,
      big: { $numberLong: '9007199254740993' },
      small: 42,
      dec: { $numberDecimal: '1234.5600' },
      at: { $date: '2024-02-29T13:45:06.789Z' },
      bin: { $binary: { base64: 'aGVsbG8=', subType: '00' } },
      uuid: { $binary: { base64: 'D4+tW9nLRp+hZXCGdyiVDg==', subType: '04' } },
      nested: { city: 'Oslo', zip: 150 },
      list: [1, 'two', { three: 3 }],
      nothing: null,
      nan: { $numberDouble: 'NaN' },
      negZero: { $numberDouble: '-0.0' },
    });
  });

  it('parses back to the same BSON, types included', () => {
    const text = extendedJsonText(doc);
    const back = BSON.EJSON.parse(text, { relaxed: false }) as BSON.Document;
    expect((back.big as BSON.Long).toString()).toBe('9007199254740993');
    expect((back.dec as BSON.Decimal128).toString()).toBe('1234.5600');
    expect((back._id as BSON.ObjectId).toHexString()).toBe(oid);
    expect((back.at as Date).toISOString()).toBe('2024-02-29T13:45:06.789Z');
    expect(Object.is((back.negZero as BSON.Double).value, -0)).toBe(true);
  });

  it('keeps keys that look like operators or prototypes as plain keys', () => {
    const tricky = roundTrip({ a: { $gt: 1, ['__proto__']: 2 } } as BSON.Document);
    expect(extendedJsonText(tricky)).toBe('{"a":{"$gt":1,"__proto__":2}}');
  });
});

describe('describeMongoCell', () => {
  const column = (name: string, type: Column['type']): Column => ({
    name,
    type,
    nativeType: 'x',
    nullable: true,
  });

  it('prefixes binary hex with its subtype', () => {
    expect(describeMongoCell(column('uuid', 'blob'), doc.uuid)).toMatchObject({
      text: '[subtype 0x04 uuid] 0f8fad5bd9cb469fa16570867728950e',
      byteLength: 16,
      truncated: false,
    });
    expect(describeMongoCell(column('bin', 'blob'), doc.bin).text).toBe(
      '[subtype 0x00 generic] 68656c6c6f',
    );
  });

  it('gives full values: int64 and decimals exact, documents as JSON, null as null', () => {
    expect(describeMongoCell(column('big', 'bigint'), doc.big).text).toBe('9007199254740993');
    expect(describeMongoCell(column('dec', 'decimal'), doc.dec).text).toBe('1234.5600');
    expect(describeMongoCell(column('nested', 'json'), doc.nested).text).toBe(
      '{"city":"Oslo","zip":150}',
    );
    const long = 'é'.repeat(3_000);
    expect(describeMongoCell(column('s', 'text'), long)).toMatchObject({
      text: long,
      byteLength: 6_000,
      truncated: false,
    });
    expect(describeMongoCell(column('n', 'text'), null).text).toBeNull();
  });
});
