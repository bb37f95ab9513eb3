/**
 * Reading a whole dataset (or one key range of it) as full values, streamed in key order: the
 * read path of snapshots and diffs. `Backend.page` is made for the grid (cut text, blob heads,
 * offsets); `scan` is made for moving every row once, as fast as the store can send it.
 *
 * Order is the same in every store, so two stores' streams can be merged: keys compare column by
 * column with `compareRowValues` — null first, then numbers (integers exactly, bigint or not),
 * then text by UTF-8 bytes (binary collation, never the server's locale), then bytes. Engines
 * order with `ORDER BY … COLLATE "C"` (PostgreSQL), a binary collation (MariaDB), SQLite's
 * default BINARY; where a store cannot sort that way the engine sorts what it reads.
 */
import type { DatasetPath } from '../../shared/model.js';

/** A cell as a snapshot, a diff and a writer see it: a plain JS value, never cut. */
export type RowValue = null | string | number | bigint | boolean | Uint8Array;

/** A key range: `from` inclusive, `to` exclusive; either end open when absent. */
export interface KeyRange {
  from?: readonly RowValue[];
  to?: readonly RowValue[];
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Key columns to order by; the dataset's own key when absent; storage order when empty. */
  orderBy?: readonly string[];
  /** Only rows whose `orderBy` key lies in the range (requires a non-empty `orderBy`). */
  range?: KeyRange;
  /** Rows per batch the engine aims for (it may send fewer); about 5,000 when absent. */
  batchRows?: number;
}

/** Full rows aligned to `describe(path).columns`, in batches, in `orderBy` order. */
export type RowBatches = AsyncIterable<RowValue[][]>;

/**
 * A batch of rows already in the canonical row encoding (versions/canonical.ts: `varint(length)
 * body` per row, a tag and payload per cell). An engine that reads in another thread sends this:
 * one transferred buffer crosses the thread boundary instead of a value per cell, and a snapshot
 * chunks and hashes it as it is. The same rows, in the same order, as `scan` would give.
 * `bytes` may be a view of memory the engine reuses: valid until the next batch is asked for (or
 * the scan ends), so a consumer that keeps bytes copies them.
 */
export interface EncodedRows {
  rows: number;
  bytes: Uint8Array;
}

export interface Scannable {
  scan(path: DatasetPath, options: ScanOptions): RowBatches;
  /** The same stream, encoded; engines that read in a worker thread offer it. */
  scanEncoded?(path: DatasetPath, options: ScanOptions): AsyncIterable<EncodedRows>;
}

const typeRank = (value: RowValue): number => {
  if (value === null) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 2;
  if (typeof value === 'string') return 3;
  return 4;
};

const utf8 = new TextEncoder();

/** Compares two strings by their UTF-8 bytes (which is code point order), without encoding them
 * unless a surrogate makes UTF-16 order differ. */
function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff)) {
      return Buffer.compare(utf8.encode(a.slice(i)), utf8.encode(b.slice(i)));
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** The one total order of cells every scan and every diff merge agrees on. */
export function compareRowValues(a: RowValue, b: RowValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return Number(a) - Number(b);
    case 2: {
      if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
      const x = typeof a === 'bigint' ? a : BigInt(Math.trunc(a as number));
      const y = typeof b === 'bigint' ? b : BigInt(Math.trunc(b as number));
      if (x !== y) return x < y ? -1 : 1;
      // Equal integer parts: a fractional double is past its truncation.
      const fa = typeof a === 'number' ? a - Math.trunc(a) : 0;
      const fb = typeof b === 'number' ? b - Math.trunc(b) : 0;
      return fa < fb ? -1 : fa > fb ? 1 : 0;
    }
    case 3:
      return compareText(a as string, b as string);
    default:
      return Buffer.compare(a as Uint8Array, b as Uint8Array);
  }
}

/** Compares two keys (equal length) column by column. */
export function compareKeys(a: readonly RowValue[], b: readonly RowValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareRowValues(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}
