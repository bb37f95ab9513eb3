/** CSV text → typed write values: one converter per type, `invalid` for what does not fit. */
import { describe, expect, it } from 'vitest';
import {
  converterFor,
  invalid,
  keepsEmptyText,
  type TypeSpec,
} from '../../electron/ingest/values.js';

const convert = (spec: TypeSpec, text: string) => converterFor(spec)(text);

describe('converterFor', () => {
  it('integers: numbers while exact, bigints past 2^53, 32-bit when created so', () => {
    const int64: TypeSpec = { type: 'bigint' };
    expect(convert(int64, '42')).toBe(42);
    expect(convert(int64, '+7')).toBe(7);
    expect(convert(int64, '9007199254740993')).toBe(9007199254740993n);
    expect(convert(int64, '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(convert(int64, '9223372036854775808')).toBe(invalid);
    expect(convert(int64, '1.0')).toBe(invalid);
    expect(convert({ type: 'integer', bits: 32 }, '2147483647')).toBe(2147483647);
    expect(convert({ type: 'integer', bits: 32 }, '2147483648')).toBe(invalid);
    expect(convert({ type: 'integer', bits: 64 }, '2147483648')).toBe(2147483648);
  });

  it('decimals: exact canonical text, within precision and scale', () => {
    const money: TypeSpec = { type: 'decimal', precision: 6, scale: 2 };
    expect(convert(money, '12.50')).toBe('12.50');
    expect(convert(money, '+0012.5')).toBe('12.5');
    expect(convert(money, '.5')).toBe('0.5');
    expect(convert(money, '-3.')).toBe('-3');
    expect(convert(money, '1234.56')).toBe('1234.56');
    expect(convert(money, '12345.6')).toBe(invalid);
    expect(convert(money, '1.234')).toBe(invalid);
    expect(convert(money, '1e3')).toBe(invalid);
    expect(convert({ type: 'decimal', precision: 2, scale: 2 }, '0.25')).toBe('0.25');
    expect(convert({ type: 'decimal' }, '123456789012345678901234567890.5')).toBe(
      '123456789012345678901234567890.5',
    );
  });

  it('floats, booleans, dates, JSON and hex bytes', () => {
    expect(convert({ type: 'float' }, '-1.5e-3')).toBe(-0.0015);
    expect(convert({ type: 'float' }, 'NaN')).toBe(invalid);
    expect(convert({ type: 'boolean' }, 'Yes')).toBe(true);
    expect(convert({ type: 'boolean' }, '0')).toBe(false);
    expect(convert({ type: 'boolean' }, 'y')).toBe(invalid);
    expect(convert({ type: 'date' }, '2024-02-29')).toBe('2024-02-29');
    expect(convert({ type: 'date' }, '2023-02-29')).toBe(invalid);
    expect(convert({ type: 'json' }, '{"a":[1]}')).toBe('{"a":[1]}');
    expect(convert({ type: 'json' }, '{a:1}')).toBe(invalid);
    expect(convert({ type: 'blob' }, '\\xDEADbeef')).toEqual(
      new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
    );
    expect(convert({ type: 'blob' }, '0xabc')).toBe(invalid);
  });

  it('timestamps come out ISO: T, seconds, and a zone with a colon', () => {
    const ts: TypeSpec = { type: 'timestamp' };
    expect(convert(ts, '2024-01-02 03:04')).toBe('2024-01-02T03:04:00');
    expect(convert(ts, '2024-01-02T03:04:05.123456Z')).toBe('2024-01-02T03:04:05.123456Z');
    expect(convert(ts, '2024-01-02T03:04:05+0530')).toBe('2024-01-02T03:04:05+05:30');
    expect(convert(ts, '2024-01-02T03:04:05-08')).toBe('2024-01-02T03:04:05-08:00');
    expect(convert(ts, '2024-01-02')).toBe('2024-01-02T00:00:00');
    expect(convert(ts, '2024-01-02T24:00:00')).toBe(invalid);
    expect(convert(ts, '2024-13-02T00:00:00')).toBe(invalid);
  });

  it('keeps the empty string only in text columns', () => {
    expect(keepsEmptyText('text')).toBe(true);
    expect(keepsEmptyText('integer')).toBe(false);
    expect(keepsEmptyText('json')).toBe(false);
  });
});
