/** Type inference from sampled values, header names, and value conversion for the cache. */
import { describe, expect, it } from 'vitest';
import { TypeGuess } from '../../electron/backends/file-datasets/infer.js';
import { columnNames } from '../../electron/ingest/infer.js';
import {
  bindValue,
  cellOf,
  type DataColumn,
} from '../../electron/backends/file-datasets/values.js';

const guessText = (...values: Array<string | null>) => {
  const guess = new TypeGuess();
  for (const v of values) guess.observeText(v);
  return guess.result();
};
const guessJson = (...values: unknown[]) => {
  const guess = new TypeGuess();
  for (const v of values) guess.observeValue(v);
  return guess.result();
};
const column = (type: DataColumn['type'], scale?: number): DataColumn => ({
  name: 'c',
  type,
  nativeType: 'CSV',
  nullable: true,
  ...(scale === undefined ? {} : { scale }),
});

describe('type inference', () => {
  it('recognises integers, decimals, floats, booleans, dates and timestamps in text', () => {
    expect(guessText('1', '-20', null, '300')).toEqual({ type: 'integer' });
    expect(guessText('1', '9007199254740993')).toEqual({ type: 'bigint' });
    expect(guessText('1', '99999999999999999999')).toEqual({ type: 'float' });
    expect(guessText('12.50', '3.25', '-0.10')).toEqual({ type: 'decimal', scale: 2 });
    expect(guessText('12.5', '3.25')).toEqual({ type: 'float' });
    expect(guessText('1', '2.5', '1e3')).toEqual({ type: 'float' });
    expect(guessText('true', 'False', 'f')).toEqual({ type: 'boolean' });
    expect(guessText('2023-01-31', '1999-12-01')).toEqual({ type: 'date' });
    expect(guessText('2023-01-31', '2023-01-31T10:00:00Z', '2023-02-01 08:30')).toEqual({
      type: 'timestamp',
    });
    expect(guessText('2023-13-01')).toEqual({ type: 'text' });
    expect(guessText('007', '12')).toEqual({ type: 'text' });
    expect(guessText(null, null)).toEqual({ type: 'text' });
  });

  it('keeps JSON types: numbers, booleans, strings (even numeric ones) and nested values', () => {
    expect(guessJson(1, 2, null)).toEqual({ type: 'integer' });
    expect(guessJson(1, 2.5)).toEqual({ type: 'float' });
    expect(guessJson(true, false)).toEqual({ type: 'boolean' });
    expect(guessJson('12', '13')).toEqual({ type: 'text' });
    expect(guessJson('2023-01-01')).toEqual({ type: 'date' });
    expect(guessJson([1, 2], { a: 1 })).toEqual({ type: 'json' });
    expect(guessJson(1, 'x')).toEqual({ type: 'text' });
  });

  it('names blank and duplicate headers, without regard to case', () => {
    expect(columnNames(['id', '', 'Name', 'name', null, 'id'])).toEqual([
      'id',
      'column_2',
      'Name',
      'name_2',
      'column_5',
      'id_2',
    ]);
  });
});

describe('value conversion', () => {
  it('binds typed values and keeps a value that breaks its type as text', () => {
    expect(bindValue('42', column('integer'))).toBe(42);
    expect(bindValue('9223372036854775807', column('bigint'))).toBe(9223372036854775807n);
    expect(bindValue('n/a', column('integer'))).toBe('n/a');
    expect(bindValue('TRUE', column('boolean'))).toBe(1);
    expect(bindValue('maybe', column('boolean'))).toBe('maybe');
    expect(bindValue(3.0100000000000002, column('decimal', 2))).toBe(3.01);
    expect(bindValue(new Date(Date.UTC(2020, 1, 3)), column('date'))).toBe('2020-02-03');
    expect(bindValue({ a: [1, 2n] }, column('json'))).toBe('{"a":[1,"2"]}');
    expect(bindValue(undefined, column('text'))).toBeNull();
  });

  it('shows decimals with their scale and big integers exactly', () => {
    expect(cellOf('12.5', column('decimal', 2))).toBe('12.50');
    expect(cellOf('9223372036854775807', column('bigint'))).toEqual({
      $bigint: '9223372036854775807',
    });
    expect(cellOf('false', column('boolean'))).toBe(false);
  });
});
