/** Column types from samples: the narrowest type every value fits, in the documented order. */
import { describe, expect, it } from 'vitest';
import { ColumnGuess, columnNames } from '../../electron/ingest/infer.js';

function infer(...values: Array<string | null>) {
  const guess = new ColumnGuess();
  for (const v of values) guess.observe(v);
  return guess.result();
}

describe('ColumnGuess', () => {
  it('tells 32-bit integers from 64-bit ones by range, and gives up past 64 bits', () => {
    expect(infer('1', '-2147483648', '2147483647')).toEqual({ type: 'integer' });
    expect(infer('1', '2147483648')).toEqual({ type: 'bigint' });
    expect(infer('-9223372036854775808', '9223372036854775807')).toEqual({ type: 'bigint' });
    expect(infer('9223372036854775808')).toEqual({ type: 'decimal', precision: 19, scale: 0 });
  });

  it('reads decimals when every fraction has the same scale, floats otherwise', () => {
    expect(infer('12.50', '3.00', '-7', '0.99')).toEqual({
      type: 'decimal',
      precision: 18,
      scale: 2,
    });
    expect(infer('21.3', '21.35')).toEqual({ type: 'float' });
    expect(infer('1e3', '2.5')).toEqual({ type: 'float' });
    expect(infer('.5', '1.5')).toEqual({ type: 'decimal', precision: 18, scale: 1 });
  });

  it('keeps numbers with leading zeros as text: they are codes', () => {
    expect(infer('01234', '90210')).toEqual({ type: 'text' });
    expect(infer('0', '0.5')).toEqual({ type: 'decimal', precision: 18, scale: 1 });
  });

  it('reads booleans only when the column holds nothing but boolean words', () => {
    expect(infer('true', 'False', 't', 'F', 'yes', 'NO')).toEqual({ type: 'boolean' });
    expect(infer('0', '1', '1')).toEqual({ type: 'boolean' });
    expect(infer('0', '1', '2')).toEqual({ type: 'integer' });
    expect(infer('yes', 'no', 'maybe')).toEqual({ type: 'text' });
  });

  it('reads ISO dates (real days only) and timestamps', () => {
    expect(infer('2024-02-29', '2023-12-31')).toEqual({ type: 'date' });
    expect(infer('2023-02-29')).toEqual({ type: 'text' });
    expect(
      infer('2024-01-01T10:00:00Z', '2024-01-02 11:30', '2024-01-03T00:00:00.5+02:00'),
    ).toEqual({
      type: 'timestamp',
    });
    expect(infer('2024-01-01', '2024-01-02T10:00:00')).toEqual({ type: 'timestamp' });
    expect(infer('2024-01-01T25:00:00')).toEqual({ type: 'text' });
  });

  it('reads JSON objects and arrays, not scalars', () => {
    expect(infer('{"a":1}', '[1,2]', '[]')).toEqual({ type: 'json' });
    expect(infer('{"a":1}', '"x"')).toEqual({ type: 'text' });
    expect(infer('{not json}')).toEqual({ type: 'text' });
  });

  it('lets empty fields say nothing about the type, and counts them', () => {
    const guess = new ColumnGuess();
    for (const v of ['1', null, '', '3', '3']) guess.observe(v);
    expect(guess.result()).toEqual({ type: 'integer' });
    expect(guess.stats).toMatchObject({
      values: 3,
      nulls: 1,
      empty: 1,
      distinct: 2,
      examples: ['1', '3'],
    });
    expect(infer(null, '')).toEqual({ type: 'text' });
  });
});

describe('columnNames', () => {
  it('names blanks by position and numbers duplicates, without regard to case', () => {
    expect(columnNames(['id', 'name', ' name ', 'Name', '', null])).toEqual([
      'id',
      'name',
      'name_2',
      'Name_3',
      'column_5',
      'column_6',
    ]);
  });
});
