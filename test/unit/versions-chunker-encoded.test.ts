/**
 * Chunking rows that arrive already encoded (a scan worker's batches) cuts exactly the chunks
 * that chunking the same rows as values cuts: same bytes, rows and first/last keys, whatever the
 * batch sizes and wherever the key columns are — so a snapshot's objects do not depend on how
 * its rows were read.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RowWriter, type RowValue } from '../../electron/versions/canonical.js';
import { Chunker, type Chunk } from '../../electron/versions/chunker.js';

const small = { target: 2048, min: 256, max: 8192 };

const cell = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }),
);

function byValues(rows: RowValue[][], keys: readonly number[]): Chunk[] {
  const chunker = new Chunker(4, keys, small);
  const out = rows.map((r) => chunker.push(r)).filter((c): c is Chunk => c !== undefined);
  const last = chunker.flush();
  return last ? [...out, last] : out;
}

function byBatches(rows: RowValue[][], keys: readonly number[], batch: number): Chunk[] {
  const chunker = new Chunker(4, keys, small);
  const writer = new RowWriter();
  const out: Chunk[] = [];
  for (let i = 0; i < rows.length; i += batch) {
    for (const r of rows.slice(i, i + batch)) writer.writeRow(r);
    out.push(...chunker.pushEncoded(writer.take()));
  }
  const last = chunker.flush();
  return last ? [...out, last] : out;
}

describe('chunking encoded batches', () => {
  it('cuts the chunks that chunking values cuts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, cell, cell), { maxLength: 400 }),
        fc.constantFrom([0], [2], [1, 3], [3, 0]),
        fc.integer({ min: 1, max: 97 }),
        (rows, keys, batch) => {
          const expected = byValues(rows, keys);
          const actual = byBatches(rows, keys, batch);
          expect(actual.map((c) => c.bytes.toString('hex'))).toEqual(
            expected.map((c) => c.bytes.toString('hex')),
          );
          expect(actual.map((c) => [c.rows, c.firstKey, c.lastKey])).toEqual(
            expected.map((c) => [c.rows, c.firstKey, c.lastKey]),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('cuts more than one chunk from one large batch', () => {
    const rows = Array.from({ length: 3000 }, (_, i): RowValue[] => [i, `row ${i}`, i * 2, null]);
    const chunks = byBatches(rows, [0], 3000);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(3000);
  });
});
