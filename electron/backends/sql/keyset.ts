/**
 * Keyset paging for unsorted, unfiltered views of a table with a one-column key. OFFSET makes the
 * server walk and discard every skipped row, so page 10,000 costs 10,000 pages; remembering the
 * last key of each page served turns the next (or a near) page into `WHERE key > $last`.
 */
import type { SqlParam } from './server-engine.js';

/** Rows we are still willing to skip with OFFSET after the nearest remembered boundary. */
const maxSkip = 20_000;
const maxBoundaries = 512;

export interface KeysetStart {
  /** The key of the row just before `from`, or undefined to start from the first row. */
  after: SqlParam | undefined;
  /** Rows still to skip after `after`. */
  skip: number;
}

export class KeysetBoundaries {
  /** offset → key of the row at offset-1; insertion order doubles as LRU order. */
  private readonly boundaries = new Map<number, SqlParam>();

  /** Where to start reading for `offset`: the nearest remembered boundary at or before it. */
  start(offset: number): KeysetStart {
    let best: number | undefined;
    for (const at of this.boundaries.keys()) {
      if (at <= offset && (best === undefined || at > best)) best = at;
    }
    if (best === undefined || offset - best > maxSkip) return { after: undefined, skip: offset };
    const after = this.boundaries.get(best)!;
    this.boundaries.delete(best);
    this.boundaries.set(best, after);
    return { after, skip: offset - best };
  }

  /** Remembers that the row at `offset - 1` has key `key`. */
  remember(offset: number, key: unknown): void {
    if (offset <= 0 || !isParam(key)) return;
    this.boundaries.delete(offset);
    this.boundaries.set(offset, key);
    while (this.boundaries.size > maxBoundaries) {
      const oldest = this.boundaries.keys().next().value as number;
      this.boundaries.delete(oldest);
    }
  }

  clear(): void {
    this.boundaries.clear();
  }
}

/** Only keys the driver gave us as plain scalars can be bound back (not blobs, not objects). */
function isParam(value: unknown): value is SqlParam {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
