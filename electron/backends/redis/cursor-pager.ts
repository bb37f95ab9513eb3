/**
 * Offset paging over a cursor-driven read (SCAN, HSCAN, SSCAN, XRANGE). Redis can only continue
 * from a cursor, never jump to "row N", so the pager remembers, for every batch it has seen, the
 * cursor that starts it and the offset of its first item: page N then resumes where the scan that
 * produced page N-1 stopped, and a jump back starts from the nearest remembered batch. Re-issuing
 * a cursor gives the same batch while the keyspace is unchanged, so pages neither repeat nor skip
 * items. Once a read reaches the end the total is known exactly, for free.
 */
import { throwIfAborted } from './connection.js';

export interface Batch<T> {
  items: T[];
  /** The cursor of the following batch; undefined at the end. */
  next: string | undefined;
}

/** Reads the batch that starts at `cursor`; `want` is how many items the caller still needs. */
export type ReadBatch<T> = (
  cursor: string,
  want: number,
  signal?: AbortSignal,
) => Promise<Batch<T>>;

const countBatch = 10_000;

export class CursorPager<T> {
  /** Offsets of the first item of remembered batches, ascending, and their cursors. */
  private readonly offsets: number[] = [0];
  private readonly cursors = new Map<number, string>();
  private total: number | undefined;

  constructor(
    private readonly readBatch: ReadBatch<T>,
    firstCursor: string,
  ) {
    this.cursors.set(0, firstCursor);
  }

  /** The number of items, when a read has reached the end. */
  get knownTotal(): number | undefined {
    return this.total;
  }

  async read(offset: number, limit: number, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    if (limit <= 0 || (this.total !== undefined && offset >= this.total)) return out;
    let position = this.nearest(offset);
    let cursor: string | undefined = this.cursors.get(position)!;
    while (cursor !== undefined && out.length < limit) {
      throwIfAborted(signal);
      const want = offset + limit - position;
      const batch = await this.readBatch(cursor, want, signal);
      const from = Math.max(0, offset - position);
      if (from < batch.items.length)
        out.push(...batch.items.slice(from, from + limit - out.length));
      position += batch.items.length;
      cursor = batch.next;
      this.remember(position, cursor);
    }
    return out;
  }

  /** Counts every item, continuing from the furthest batch already seen; cancellable. */
  async count(signal?: AbortSignal): Promise<number> {
    let position = this.offsets[this.offsets.length - 1]!;
    let cursor = this.cursors.get(position);
    while (this.total === undefined && cursor !== undefined) {
      throwIfAborted(signal);
      // Counting wants everything: large batches mean fewer round trips.
      const batch = await this.readBatch(cursor, countBatch, signal);
      position += batch.items.length;
      cursor = batch.next;
      this.remember(position, cursor);
    }
    return this.total ?? position;
  }

  /** Every item, or undefined as soon as there are more than `max`. */
  async all(max: number, signal?: AbortSignal): Promise<T[] | undefined> {
    if (this.total !== undefined && this.total > max) return undefined;
    const items = await this.read(0, max + 1, signal);
    return items.length > max ? undefined : items;
  }

  private remember(position: number, cursor: string | undefined): void {
    if (cursor === undefined) {
      this.total = position;
      return;
    }
    // A later cursor for the same offset has skipped empty batches; either is correct.
    if (!this.cursors.has(position)) {
      const at = this.insertionPoint(position);
      this.offsets.splice(at, 0, position);
    }
    this.cursors.set(position, cursor);
  }

  /** The largest remembered offset at or before `offset`. */
  private nearest(offset: number): number {
    const at = this.insertionPoint(offset + 1);
    return this.offsets[Math.max(0, at - 1)]!;
  }

  /** Index of the first remembered offset ≥ `value` (binary search). */
  private insertionPoint(value: number): number {
    let low = 0;
    let high = this.offsets.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.offsets[mid]! < value) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
