/** The grid's filters and sort as MongoDB queries, typed by what the sample saw. */
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { Filter } from '../../shared/model.js';
import { inferSchema } from '../../electron/backends/mongodb/schema-inference.js';
import {
  escapeRegex,
  mongoFilter,
  mongoSort,
  parseDateText,
} from '../../electron/backends/mongodb/view-query.js';

const oid = '65a1b2c3d4e5f60718293a4b';
const { fields } = inferSchema(
  [
    BSON.deserialize(
      BSON.serialize({
        _id: new BSON.ObjectId(oid),
        name: 'Ada',
        age: 36,
        balance: BSON.Decimal128.fromString('10.50'),
        score: 1.5,
        active: true,
        born: new Date('1815-12-10T00:00:00Z'),
        seen: new Date('2024-01-02T03:04:05Z'),
        code: 'x1',
        tags: ['a', 'b'],
        address: { city: 'London' },
        'dot.key': 1,
      }),
      { promoteValues: false },
    ),
    // Makes `code` a string|int field.
    { _id: new BSON.ObjectId(), code: new BSON.Int32(5) },
  ],
  'table',
);

const where = (...filters: Filter[]) => mongoFilter(fields, filters);
const eq = (column: string, value: string): Filter => ({ column, op: 'eq', value });

function errorOf(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('mongoFilter', () => {
  it('is empty without filters, one clause alone, $and for several', () => {
    expect(where()).toEqual({});
    expect(where({ column: 'name', op: 'isNull' })).toEqual({ name: { $eq: null } });
    expect(where({ column: 'name', op: 'notNull' }, eq('age', '36'))).toEqual({
      $and: [{ name: { $ne: null } }, { age: { $eq: 36 } }],
    });
  });

  it('types eq by the column: numbers, exact decimals, booleans, ObjectIds', () => {
    expect(where(eq('age', ' 36 '))).toEqual({ age: { $eq: 36 } });
    expect(where(eq('balance', '10.50'))).toEqual({
      balance: { $eq: BSON.Decimal128.fromString('10.50') },
    });
    expect(where(eq('active', 'no'))).toEqual({ active: { $eq: false } });
    expect(where(eq('_id', oid))).toEqual({ _id: { $eq: new BSON.ObjectId(oid) } });
    expect(where(eq('age', '9007199254740993'))).toEqual({
      age: { $eq: BSON.Long.fromString('9007199254740993') },
    });
  });

  it('matches a whole day for a date alone, the instant for a date and time', () => {
    expect(where(eq('seen', '2024-01-02'))).toEqual({
      seen: {
        $gte: new Date('2024-01-02T00:00:00Z'),
        $lt: new Date('2024-01-03T00:00:00Z'),
      },
    });
    expect(where(eq('seen', '2024-01-02T03:04:05Z'))).toEqual({
      seen: { $eq: new Date('2024-01-02T03:04:05Z') },
    });
  });

  it('matches every type a mixed field holds that the text fits', () => {
    expect(where(eq('code', '5'))).toEqual({
      $or: [{ code: { $eq: '5' } }, { code: { $eq: 5 } }],
    });
    expect(where(eq('code', 'x1'))).toEqual({ code: { $eq: 'x1' } });
  });

  it('reads JSON for document and array columns, and never lets it act as an operator', () => {
    expect(where(eq('tags', 'a'))).toEqual({ tags: { $eq: 'a' } });
    expect(where(eq('tags', '["a","b"]'))).toEqual({ tags: { $eq: ['a', 'b'] } });
    expect(where(eq('tags', '{"$ne": null}'))).toEqual({ tags: { $eq: { $ne: null } } });
  });

  it('rejects text that fits none of the column’s types, naming the column', () => {
    for (const [column, value] of [
      ['age', 'abc'],
      ['active', 'maybe'],
      ['_id', 'not-an-id'],
      ['seen', '2024-02-30'],
    ] as const) {
      const error = errorOf(() => where(eq(column, value)));
      expect(error.code).toBe('invalid-input');
      expect(error.message).toContain(`“${column}”`);
    }
    expect(errorOf(() => where(eq('nope', '1'))).message).toContain('nope');
  });

  it('searches text case-insensitively with the text escaped', () => {
    expect(where({ column: 'name', op: 'contains', value: 'a.d (x)' })).toEqual({
      name: { $regex: 'a\\.d \\(x\\)', $options: 'i' },
    });
    const regex = new RegExp(escapeRegex('1+1=2? [yes] $5 ^_^ a|b \\ /'), 'i');
    expect(regex.test('so 1+1=2? [YES] $5 ^_^ A|B \\ / ok')).toBe(true);
    expect(regex.test('11=2')).toBe(false);
  });

  it('searches numbers, ids and dates as the text the grid shows them as', () => {
    expect(where({ column: 'age', op: 'contains', value: '3' })).toEqual({
      $expr: {
        $regexMatch: {
          input: { $convert: { input: '$age', to: 'string', onError: '', onNull: '' } },
          regex: '3',
          options: 'i',
        },
      },
    });
  });

  it('turns ranges into $gte/$lte, a day as maximum bounding the end of that day', () => {
    expect(where({ column: 'age', op: 'range', min: '20', max: '30' })).toEqual({
      age: { $gte: 20, $lte: 30 },
    });
    expect(where({ column: 'born', op: 'range', max: '1815-12-31' })).toEqual({
      born: { $lt: new Date('1816-01-01T00:00:00Z') },
    });
    expect(where({ column: 'seen', op: 'range', min: '2024-01-01T12:00' })).toEqual({
      seen: { $gte: new Date('2024-01-01T12:00:00Z') },
    });
    expect(where({ column: 'age', op: 'range', min: ' ', max: '' })).toEqual({});
    expect(errorOf(() => where({ column: 'age', op: 'range', min: 'x' })).message).toContain(
      '“age”',
    );
  });

  it('addresses nested fields by their dotted path, and refuses fields it cannot address', () => {
    expect(where(eq('address.city', 'London'))).toEqual({ 'address.city': { $eq: 'London' } });
    expect(errorOf(() => where(eq('dot.key', '1'))).message).toMatch(/dot/);
  });
});

describe('mongoSort', () => {
  it('sorts in the order given and ends with _id so the order is total', () => {
    expect(
      mongoSort(fields, [
        { column: 'age', direction: 'desc' },
        { column: 'address.city', direction: 'asc' },
      ]),
    ).toEqual([
      ['age', -1],
      ['address.city', 1],
      ['_id', 1],
    ]);
    expect(mongoSort(fields, [{ column: '_id', direction: 'desc' }])).toEqual([['_id', -1]]);
    expect(mongoSort(fields, [])).toEqual([['_id', 1]]);
    expect(errorOf(() => mongoSort(fields, [{ column: 'nope', direction: 'asc' }])).code).toBe(
      'invalid-input',
    );
  });
});

describe('parseDateText', () => {
  it('reads days, times with and without zones, and refuses impossible dates', () => {
    expect(parseDateText('2024-02-29')).toEqual({
      date: new Date('2024-02-29T00:00:00Z'),
      dayOnly: true,
    });
    expect(parseDateText('2024-02-29 23:59:59.5')?.date).toEqual(
      new Date('2024-02-29T23:59:59.500Z'),
    );
    expect(parseDateText('2024-02-29T10:00+02:00')?.date).toEqual(new Date('2024-02-29T08:00:00Z'));
    expect(parseDateText('2024-02-29T10:00-0130')?.date).toEqual(new Date('2024-02-29T11:30:00Z'));
    expect(parseDateText('2023-02-29')).toBeUndefined();
    expect(parseDateText('2024-01-01T24:00')).toBeUndefined();
    expect(parseDateText('yesterday')).toBeUndefined();
  });
});
