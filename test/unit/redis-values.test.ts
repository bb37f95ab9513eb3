/** Redis values are bytes: type inference from samples, typed cells, and in-memory views. */
import { describe, expect, it } from 'vitest';
import type { Column } from '../../shared/model.js';
import { applyView, checkView } from '../../electron/backends/redis/in-memory-view.js';
import {
  escapeGlob,
  inferType,
  textOrBytes,
  typedValue,
} from '../../electron/backends/redis/values.js';

describe('inferType', () => {
  it('picks the narrowest type every sampled value fits', () => {
    expect(inferType(['1', '-20', '300'])).toBe('integer');
    expect(inferType(['1', '99999999999999999'])).toBe('bigint');
    expect(inferType(['1', '2.50'])).toBe('decimal');
    expect(inferType(['1e3', '2.5'])).toBe('float');
    expect(inferType(['true', 'FALSE'])).toBe('boolean');
    expect(inferType(['2024-01-31'])).toBe('date');
    expect(inferType(['2024-01-31T10:00:00Z', '2024-02-01'])).toBe('timestamp');
    expect(inferType(['1', 'one'])).toBe('text');
    expect(inferType(['01'])).toBe('text');
    expect(inferType([Buffer.from([0xff])])).toBe('text');
    expect(inferType([])).toBe('text');
  });

  it('types values that fit and keeps the ones that do not as text', () => {
    expect(typedValue('42', 'integer')).toBe(42);
    expect(typedValue('x', 'integer')).toBe('x');
    expect(typedValue('12345678901234567890', 'bigint')).toBe(12345678901234567890n);
    expect(typedValue('2.50', 'decimal')).toBe('2.50');
    expect(typedValue('True', 'boolean')).toBe(true);
    expect(typedValue(null, 'text')).toBeNull();
  });

  it('shows UTF-8 as text and other bytes as bytes; escapes globs', () => {
    expect(textOrBytes(Buffer.from('héllo'))).toBe('héllo');
    expect(textOrBytes(Buffer.from([0xc3]))).toEqual(Buffer.from([0xc3]));
    expect(escapeGlob('a*b?[c]\\')).toBe('a\\*b\\?\\[c\\]\\\\');
  });
});

describe('in-memory views', () => {
  const col = (name: string, type: Column['type']): Column => ({
    name,
    type,
    nativeType: type,
    nullable: true,
  });
  const columns = [col('key', 'text'), col('n', 'decimal'), col('ok', 'boolean')];
  const rows = [
    ['b', '10.5', true],
    ['a', '9', false],
    ['c', null, true],
    ['d', '9', true],
  ];

  it('sorts numbers as numbers, NULLs first, ties by the key', () => {
    const sorted = applyView(columns, ['key'], rows, {
      sort: [{ column: 'n', direction: 'asc' }],
      filters: [],
    });
    expect(sorted.map((r) => r[0])).toEqual(['c', 'a', 'd', 'b']);
    const desc = applyView(columns, ['key'], rows, {
      sort: [{ column: 'n', direction: 'desc' }],
      filters: [],
    });
    expect(desc.map((r) => r[0])).toEqual(['b', 'a', 'd', 'c']);
  });

  it('filters with values coerced to the column type, and names a column a value does not fit', () => {
    const view = (filters: Parameters<typeof applyView>[3]['filters']) => ({ sort: [], filters });
    expect(
      applyView(columns, ['key'], rows, view([{ column: 'n', op: 'eq', value: '9.0' }])).map(
        (r) => r[0],
      ),
    ).toEqual(['a', 'd']);
    expect(
      applyView(columns, ['key'], rows, view([{ column: 'ok', op: 'eq', value: 'no' }])).map(
        (r) => r[0],
      ),
    ).toEqual(['a']);
    expect(
      applyView(columns, ['key'], rows, view([{ column: 'n', op: 'range', min: '9.1' }])).map(
        (r) => r[0],
      ),
    ).toEqual(['b']);
    expect(
      applyView(columns, ['key'], rows, view([{ column: 'key', op: 'contains', value: 'B' }])).map(
        (r) => r[0],
      ),
    ).toEqual(['b']);
    expect(
      applyView(columns, ['key'], rows, view([{ column: 'n', op: 'isNull' }])).map((r) => r[0]),
    ).toEqual(['c']);
    expect(() => checkView(columns, view([{ column: 'n', op: 'eq', value: 'many' }]))).toThrow(
      /column “n”/,
    );
    expect(() =>
      checkView(columns, { sort: [{ column: 'zz', direction: 'asc' }], filters: [] }),
    ).toThrow(/zz/);
  });
});
