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

  it('integers, decimals and dates: what their patterns refuse is refused, character by character', () => {
    // The checks are loops over the characters (for speed), meant to read exactly as the patterns
    // [+-]?\d+, -?(0|[1-9]\d*)(\.\d+)? and YYYY-MM-DD with ASCII digits only.
    for (const text of ['+', '-', '+-1', '1-', ' 1', '1 ', '1e3', '0x10', '١٢', '1.', '--1'])
      for (const spec of [{ type: 'bigint' }, { type: 'integer', bits: 32 }] as TypeSpec[])
        expect(convert(spec, text)).toBe(invalid);
    expect(convert({ type: 'bigint' }, '-0')).toBe(-0);
    expect(convert({ type: 'bigint' }, '007')).toBe(7);
    expect(convert({ type: 'integer', bits: 32 }, '-2147483648')).toBe(-2147483648);
    expect(convert({ type: 'integer', bits: 32 }, '-00000000001')).toBe(-1);
    expect(convert({ type: 'integer', bits: 32 }, '0000000000001')).toBe(invalid);
    const decimal: TypeSpec = { type: 'decimal' };
    for (const [text, value] of [
      ['0', '0'],
      ['-0.5', '-0.5'],
      ['10', '10'],
      ['00.50', '0.50'],
      ['-.5', '-0.5'],
      ['5.', '5'],
    ])
      expect(convert(decimal, text!)).toBe(value);
    for (const text of ['-', '.', '-.', '1.2.3', '1,5', '١.5', '+'])
      expect(convert(decimal, text)).toBe(invalid);
    for (const text of [
      '2024-1-01',
      '2024/01/01',
      '2024-01-1x',
      '٢٠٢٤-01-01',
      '2024-01-001',
      ' 2024-01-01',
    ])
      expect(convert({ type: 'date' }, text)).toBe(invalid);
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
    for (const text of ['true', 'TRUE', 'True', 'tRuE', 't', 'T', '1', 'yes', 'YES'])
      expect(convert({ type: 'boolean' }, text)).toBe(true);
    for (const text of ['false', 'FALSE', 'False', 'f', 'F', '0', 'no', 'No'])
      expect(convert({ type: 'boolean' }, text)).toBe(false);
    for (const text of ['01', 'truee', ' true', 'yes ', '']) {
      expect(convert({ type: 'boolean' }, text)).toBe(invalid);
    }
    expect(convert({ type: 'date' }, '2100-02-29')).toBe(invalid);
    expect(convert({ type: 'date' }, '2000-02-29')).toBe('2000-02-29');
    expect(convert({ type: 'date' }, '2023-04-31')).toBe(invalid);
    expect(convert({ type: 'date' }, '2023-12-31')).toBe('2023-12-31');
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
