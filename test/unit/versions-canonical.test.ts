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

describe('canonical rows written cell by cell (a reader holding bytes, not values)', () => {
  /** One row through beginRow/…/endRow, each cell as `write` puts it. */
  function cellByCell(cells: ((w: RowWriter) => void)[]): Buffer {
    const writer = new RowWriter(16);
    const start = writer.beginRow();
    for (const write of cells) write(writer);
    writer.endRow(start);
    return Buffer.from(writer.take());
  }

  it('gives writeRow’s bytes: text from its UTF-8, bytes, any value (property)', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 12 }), fc.nat(3), (row, pad) => {
        const cells = row.map((value) => (w: RowWriter) => {
          if (typeof value === 'string') {
            // At an offset inside a larger buffer, as a value sits in a page.
            const bytes = Buffer.concat([Buffer.alloc(pad, 1), Buffer.from(value)]);
            w.utf8Cell(bytes, pad, bytes.length);
          } else if (value instanceof Uint8Array) {
            const bytes = Buffer.concat([Buffer.alloc(pad, 2), value]);
            w.bytesCell(bytes, pad, bytes.length);
          } else {
            w.cell(value);
          }
        });
        expect(cellByCell(cells).equals(encode([row]))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes invalid UTF-8 as the string a driver decodes it to (U+FFFD for each bad sequence)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buf = Buffer.from(bytes);
        const written = cellByCell([(w) => w.utf8Cell(buf, 0, buf.length)]);
        expect(written.equals(encode([[buf.toString('utf8')]]))).toBe(true);
      }),
      { numRuns: 300 },
    );
    const invalid = Buffer.from([0x41, 0xed, 0xa0, 0x80, 0xff, 0x42]); // a lone surrogate, 0xFF
    expect(decodeRows(cellByCell([(w) => w.utf8Cell(invalid, 0, invalid.length)]), 1)).toEqual([
      ['A\ufffd\ufffd\ufffd\ufffdB'],
    ]);
  });
});
