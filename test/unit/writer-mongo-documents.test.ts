/**
 * Rows as MongoDB documents (no server needed): dotted names nested, colliding names refused,
 * and each logical type stored as the BSON type it calls for.
 */
import { Binary, Decimal128, Double, Int32, Long } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { Column } from '../../shared/model.js';
import {
  bsonValue,
  documentPaths,
  toDocument,
} from '../../electron/backends/mongodb/write-documents.js';

const col = (name: string, type: Column['type']): Column => ({
  name,
  type,
  nativeType: '',
  nullable: true,
});

describe('documentPaths and toDocument', () => {
  it('nests dotted names and leaves NULL fields out', () => {
    const columns = [col('id', 'integer'), col('address.city', 'text'), col('address.zip', 'text')];
    const paths = documentPaths(columns);
    expect(toDocument([1, 'Oslo', null], columns, paths)).toEqual({
      id: new Int32(1),
      address: { city: 'Oslo' },
    });
    expect(toDocument([2, null, null], columns, paths)).toEqual({ id: new Int32(2) });
  });

  it('refuses names that cannot be fields or that collide', () => {
    for (const names of [['a', 'a.b'], ['a.b', 'a'], ['$set'], ['a..b'], ['x', 'x']]) {
      expect(() => documentPaths(names.map((n) => col(n, 'text')))).toThrow(AppError);
    }
  });
});

describe('bsonValue', () => {
  it('stores each logical type as its BSON type', () => {
    expect(bsonValue(7, col('n', 'integer'))).toEqual(new Int32(7));
    expect(bsonValue(2 ** 40, col('n', 'integer'))).toEqual(Long.fromNumber(2 ** 40));
    expect(bsonValue(9007199254740993n, col('n', 'bigint'))).toEqual(
      Long.fromString('9007199254740993'),
    );
    expect(bsonValue(3, col('n', 'bigint'))).toEqual(Long.fromNumber(3));
    expect(String(bsonValue('12345678901234567890.0123456789', col('d', 'decimal')))).toBe(
      '12345678901234567890.0123456789',
    );
    expect(bsonValue('1.5', col('d', 'decimal'))).toBeInstanceOf(Decimal128);
    expect(bsonValue(3, col('f', 'float'))).toEqual(new Double(3));
    expect(bsonValue('yes', col('b', 'boolean'))).toBe(true);
    expect(bsonValue(false, col('b', 'boolean'))).toBe(false);
    expect(bsonValue('2024-02-29', col('d', 'date'))).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(bsonValue('2024-03-10T02:30:00+02:00', col('t', 'timestamp'))).toEqual(
      new Date('2024-03-10T00:30:00Z'),
    );
    expect(bsonValue('2024-03-10 02:30:00.123456', col('t', 'timestamp'))).toEqual(
      new Date('2024-03-10T02:30:00.123Z'),
    );
    expect(bsonValue('2024-03-10', col('t', 'timestamp'))).toEqual(
      new Date('2024-03-10T00:00:00Z'),
    );
    expect(bsonValue('{"a":[1,2]}', col('j', 'json'))).toEqual({ a: [1, 2] });
    expect(bsonValue(new Uint8Array([1, 2]), col('r', 'blob'))).toEqual(
      new Binary(new Uint8Array([1, 2])),
    );
    expect(bsonValue(12n, col('s', 'text'))).toBe('12');
  });

  it('names the column and the value it cannot store', () => {
    const attempt = (value: string, type: Column['type']) => () => bsonValue(value, col('c', type));
    expect(attempt('1.5', 'integer')).toThrow(/Column “c”: “1.5”/);
    expect(attempt('99999999999999999999', 'bigint')).toThrow(/64 bits/);
    expect(attempt('abc', 'decimal')).toThrow(/decimal/);
    expect(attempt('maybe', 'boolean')).toThrow(/boolean/);
    expect(attempt('{', 'json')).toThrow(/JSON/);
    expect(attempt('not a day', 'date')).toThrow(/date/);
  });
});
