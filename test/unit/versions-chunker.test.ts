/**
 * Content-defined chunking: boundaries follow the keys, so an edit changes about one chunk, and
 * the chunks together are exactly the rows' canonical bytes.
 */
import { describe, expect, it } from 'vitest';
import { RowWriter, type RowValue } from '../../electron/versions/canonical.js';
import { Chunker, defaultChunking, type Chunk } from '../../electron/versions/chunker.js';

const currencies = ['EUR', 'USD', 'GBP'];
function row(i: number, version = 0): RowValue[] {
  return [
    i,
    `2024-01-${(i % 28) + 1}`,
    (i * 7919) % 5000,
    ((i * 104_729 + version) % 100_000) / 100,
    currencies[i % 3]!,
    i % 4 ? `note ${i % 977}` : null,
  ];
}

function chunk(rows: RowValue[][], keyIndexes = [0]): Chunk[] {
  const chunker = new Chunker(6, keyIndexes);
  const out: Chunk[] = [];
  for (const r of rows) {
    const c = chunker.push(r);
    if (c) out.push(c);
  }
  const last = chunker.flush();
  if (last) out.push(last);
  return out;
}

const hex = (c: Chunk) => c.bytes.toString('hex');
/** How many chunks of `after` are not among `before`. */
function changed(before: Chunk[], after: Chunk[]): number {
  const known = new Set(before.map(hex));
  return after.filter((c) => !known.has(hex(c))).length;
}

/** A seeded generator, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}

const base = Array.from({ length: 40_000 }, (_, i) => row(i * 2));
const baseChunks = chunk(base);

describe('chunker', () => {
  it('cuts chunks that concatenate to the rows, with sizes around the target', () => {
    const writer = new RowWriter();
    for (const r of base) writer.writeRow(r);
    expect(Buffer.concat(baseChunks.map((c) => c.bytes)).equals(writer.take())).toBe(true);
    expect(baseChunks.reduce((n, c) => n + c.rows, 0)).toBe(base.length);
    const sizes = baseChunks.map((c) => c.bytes.length);
    for (const size of sizes.slice(0, -1)) {
      expect(size).toBeGreaterThanOrEqual(defaultChunking.min);
      expect(size).toBeLessThanOrEqual(defaultChunking.max);
    }
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(defaultChunking.target / 2);
    expect(mean).toBeLessThan(defaultChunking.target * 2);
    expect(baseChunks[0]!.firstKey).toEqual([0]);
    expect(baseChunks.at(-1)!.lastKey).toEqual([base.at(-1)![0]]);
  });

  it('is stable: the same rows give the same chunks', () => {
    expect(chunk(base).map(hex)).toEqual(baseChunks.map(hex));
  });

  it('changing one row changes one chunk', () => {
    const next = random(1);
    for (let trial = 0; trial < 30; trial++) {
      const at = Math.floor(next() * base.length);
      const edited = base.slice();
      edited[at] = row(at * 2, trial + 1);
      expect(changed(baseChunks, chunk(edited))).toBeLessThanOrEqual(1);
    }
  });

  it('inserting or deleting one row changes at most two chunks (nearly always)', () => {
    const next = random(2);
    const counts: number[] = [];
    for (let trial = 0; trial < 40; trial++) {
      const at = Math.floor(next() * base.length);
      const edited = base.slice();
      if (trial % 2) edited.splice(at, 0, row(at * 2 - 1));
      else edited.splice(at, 1);
      counts.push(changed(baseChunks, chunk(edited)));
    }
    // A new boundary can suppress the next one (min size), rarely rippling one chunk further.
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    expect(counts.filter((n) => n <= 2).length).toBeGreaterThanOrEqual(38);
  });

  it('100 changed rows in one key range change a chunk or two', () => {
    const edited = base.slice();
    for (let i = 20_000; i < 20_100; i++) edited[i] = row(i * 2, 7);
    expect(changed(baseChunks, chunk(edited))).toBeLessThanOrEqual(3);
  });

  it('without a key, all columns decide the boundaries, still stably', () => {
    const all = [0, 1, 2, 3, 4, 5];
    const chunks = chunk(base, all);
    const edited = base.slice();
    edited[12_345] = row(12_345 * 2, 9);
    expect(changed(chunks, chunk(edited, all))).toBeLessThanOrEqual(3);
  });
});
