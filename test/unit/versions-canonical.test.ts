/** The canonical row encoding: exact round trips, one encoding per value, malformed bytes refused. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRows, RowWriter, type RowValue } from '../../electron/versions/canonical.js';

function encode(rows: RowValue[][]): Buffer {
  const writer = new RowWriter(64);
  for (const row of rows) writer.writeRow(row);
  return Buffer.from(writer.take());
}

/** What a value decodes to: safe-range bigints come back as numbers, −0 as 0. */
function normal(value: RowValue): RowValue {
  if (typeof value === 'bigint' && value >= -(2n ** 53n - 1n) && value <= 2n ** 53n - 1n) {
    return Number(value);
  }
  if (Object.is(value, -0)) return 0;
  if (value instanceof Uint8Array) return new Uint8Array(value);
  return value;
}

const cell: fc.Arbitrary<RowValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', minLength: 40, maxLength: 400 }),
  fc.uint8Array({ maxLength: 300 }),
);

describe('canonical rows', () => {
  it('round-trips every kind of value (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(20), (width, count) => {
        const rows = fc.sample(fc.array(cell, { minLength: width, maxLength: width }), count + 1);
        const decoded = decodeRows(encode(rows), width);
        expect(decoded).toEqual(rows.map((row) => row.map(normal)));
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: equal values give equal bytes whatever their JS type', () => {
    expect(encode([[5, 'a']])).toEqual(encode([[5n, 'a']]));
    expect(encode([[2 ** 53 - 1, -(2 ** 52) - 1]])).toEqual(
      encode([[2n ** 53n - 1n, -(2n ** 52n) - 1n]]),
    );
    expect(encode([[-0]])).toEqual(encode([[0]]));
    const nan2 = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer)[0]!;
    expect(encode([[Number.NaN]])).toEqual(encode([[nan2]]));
    expect(encode([[1.5, null, true]])).toEqual(encode([[1.5, null, true]]));
  });

  it('keeps integers past 2^53 and floats exact', () => {
    const rows: RowValue[][] = [[2n ** 63n - 1n, -(2n ** 63n), 0.1, 1e300, -Infinity, 2 ** 53]];
    expect(decodeRows(encode(rows), 6)).toEqual(rows);
  });

  it('writes rows longer than 127 bytes with a longer length prefix', () => {
    const rows: RowValue[][] = [
      ['x'.repeat(200), 1],
      ['é'.repeat(5000), 2],
      ['short', 3],
    ];
    expect(decodeRows(encode(rows), 2)).toEqual(rows);
  });

  it('is compact: a typical sales row takes about 50 bytes', () => {
    const bytes = encode([[123_456, '2024-03-01', 4211, 17, 331.04, 'EUR', true, 'note 42']]);
    expect(bytes.length).toBeLessThan(60);
  });

  it('refuses malformed bytes with an error naming the source', () => {
    const good = encode([[1, 'abc']]);
    expect(() => decodeRows(good, 3, 'object x')).toThrow(/object x is not valid snapshot data/);
    expect(() => decodeRows(good, 1)).toThrow(/more cells/);
    expect(() => decodeRows(good.subarray(0, good.length - 1), 2)).toThrow(/past the end/);
    const badTag = Buffer.from(good);
    badTag[1] = 99;
    expect(() => decodeRows(badTag, 2)).toThrow(/unknown cell tag 99/);
  });
});
