import { describe, expect, it } from 'vitest';
import { encodeCell, maxInlineText } from '../../electron/backends/cells.js';

describe('encodeCell', () => {
  it('keeps safe bigints as numbers and tags unsafe ones as decimal text', () => {
    expect(encodeCell(42n, 'integer')).toBe(42);
    expect(encodeCell(BigInt(Number.MAX_SAFE_INTEGER), 'bigint')).toBe(Number.MAX_SAFE_INTEGER);
    expect(encodeCell(BigInt(Number.MIN_SAFE_INTEGER), 'bigint')).toBe(Number.MIN_SAFE_INTEGER);
    expect(encodeCell(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 'bigint')).toEqual({
      $bigint: '9007199254740992',
    });
    expect(encodeCell(-(2n ** 63n), 'integer')).toEqual({ $bigint: '-9223372036854775808' });
  });

  it('turns 0/1 into booleans for boolean columns only', () => {
    expect(encodeCell(1n, 'boolean')).toBe(true);
    expect(encodeCell(0n, 'boolean')).toBe(false);
    expect(encodeCell(1, 'boolean')).toBe(true);
    expect(encodeCell(0, 'boolean')).toBe(false);
    // A stray 2 in a boolean column is shown as it is, not as "true".
    expect(encodeCell(2, 'boolean')).toBe(2);
    expect(encodeCell(1n, 'integer')).toBe(1);
  });

  it('keeps NULL distinct from the empty string', () => {
    expect(encodeCell(null, 'text')).toBeNull();
    expect(encodeCell(undefined, 'text')).toBeNull();
    expect(encodeCell('', 'text')).toBe('');
  });

  it('truncates long text and says how long it was', () => {
    const exact = 'x'.repeat(maxInlineText);
    expect(encodeCell(exact, 'text')).toBe(exact);
    const long = 'é'.repeat(maxInlineText + 5);
    expect(encodeCell(long, 'text')).toEqual({
      $text: 'é'.repeat(maxInlineText),
      length: maxInlineText + 5,
    });
  });

  it('ships blobs as their size and the hex of their first bytes', () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
    const cell = encodeCell(bytes, 'blob');
    expect(cell).toEqual({ $blob: 100, head: Buffer.from(bytes.subarray(0, 24)).toString('hex') });
    // A view into a larger buffer must not leak the bytes around it.
    const backing = Buffer.from([0xff, 0xff, 1, 2, 3, 0xff]);
    expect(encodeCell(backing.subarray(2, 5), 'blob')).toEqual({ $blob: 3, head: '010203' });
  });

  it('passes floats through', () => {
    expect(encodeCell(1.5, 'float')).toBe(1.5);
  });
});
