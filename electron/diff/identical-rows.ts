/**
 * Between two snapshots, even the chunks that differ hold mostly the same rows (a chunk differs
 * because one of its rows changed). Walking both sides' encoded rows together, a row whose bytes
 * are the same on both sides is the same key with the same cells — unchanged — and is passed over
 * without being decoded. Only rows whose bytes differ are decoded, ordered by key, and handed to
 * the merge, which then sees just the added, removed and changed rows.
 *
 * Valid only when both sides have the same columns and are in the diff's key order (unique keys):
 * then two equal rows at the heads of both sides are the merge's pair for that key.
 */
import type { RowBatches, RowValue } from '../backends/scan.js';
import { decodeRows, rowBody } from '../versions/canonical.js';

/** Rows of encoded chunks, one at a time, without decoding them. */
class EncodedCursor {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private done = false;
  start = 0;
  end = 0;
  private decoded: RowValue[] | undefined;
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(
    chunks: AsyncIterable<Buffer>,
    private readonly columnCount: number,
  ) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  get bytes(): Buffer {
    return this.buf;
  }

  /** Moves to the next row when it is in the current chunk (no promise per row); else undefined. */
  nextInChunk(): true | undefined {
    if (this.pos >= this.buf.length) return undefined;
    this.start = this.pos;
    this.end = rowBody(this.buf, this.pos).end;
    this.pos = this.end;
    this.decoded = undefined;
    return true;
  }

  /** Moves to the next row; false at the end. */
  async next(): Promise<boolean> {
    while (this.pos >= this.buf.length) {
      if (this.done) return false;
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      this.buf = next.value;
      this.pos = 0;
    }
    this.start = this.pos;
    this.end = rowBody(this.buf, this.pos).end;
    this.pos = this.end;
    this.decoded = undefined;
    return true;
  }

  /** The current row, decoded (once). */
  row(): RowValue[] {
    this.decoded ??= decodeRows(
      this.buf.subarray(this.start, this.end),
      this.columnCount,
      'a chunk',
    )[0]!;
    return this.decoded;
  }

  async stop(): Promise<void> {
    if (!this.done) await this.iterator.return?.();
  }
}

export interface DifferingRows {
  a: RowBatches;
  b: RowBatches;
}

/**
 * Both sides' rows with the identical ones taken out (counted in `skipped.rows`), as two
 * streams in key order for the merge. Both are fed from one walk: a stream asking for more runs
 * the walk until a queue has a batch. A queue holds at most the rows one side has in a row that
 * the other lacks (the merge needs the other side's next row before it takes them).
 */
export function skipIdenticalRows(
  aChunks: AsyncIterable<Buffer>,
  bChunks: AsyncIterable<Buffer>,
  columnCount: number,
  keyOrder: (a: readonly RowValue[], b: readonly RowValue[]) => number,
  skipped: { rows: number },
): DifferingRows {
  const a = new EncodedCursor(aChunks, columnCount);
  const b = new EncodedCursor(bChunks, columnCount);
  const queues: [RowValue[][], RowValue[][]] = [[], []];
  let finished = false;
  let hasA: boolean | undefined;
  let hasB: boolean | undefined;
  let walking: Promise<void> | undefined;
  const step = () => (walking ??= walk().finally(() => (walking = undefined)));

  /** Walks until a queue holds a batch's worth of rows, or the end. */
  const walk = async (): Promise<void> => {
    hasA ??= await a.next();
    hasB ??= await b.next();
    let steps = 0;
    while (hasA || hasB) {
      if (hasA && hasB) {
        const length = a.end - a.start;
        if (
          length === b.end - b.start &&
          a.bytes.compare(b.bytes, b.start, b.end, a.start, a.end) === 0
        ) {
          skipped.rows++;
          hasA = a.nextInChunk() ?? (await a.next());
          hasB = b.nextInChunk() ?? (await b.next());
        } else {
          const order = keyOrder(a.row(), b.row());
          if (order <= 0) queues[0].push(a.row());
          if (order >= 0) queues[1].push(b.row());
          if (order <= 0) hasA = await a.next();
          if (order >= 0) hasB = await b.next();
        }
      } else if (hasA) {
        queues[0].push(a.row());
        hasA = await a.next();
      } else {
        queues[1].push(b.row());
        hasB = await b.next();
      }
      if (queues[0].length >= 1_000 || queues[1].length >= 1_000 || ++steps >= 50_000) return;
    }
    finished = true;
  };

  async function* side(index: 0 | 1): RowBatches {
    try {
      for (;;) {
        if (queues[index].length > 0) {
          const batch = queues[index];
          queues[index] = [];
          yield batch;
          continue;
        }
        if (finished) return;
        await step();
      }
    } finally {
      if (index === 0) await a.stop();
      else await b.stop();
    }
  }
  return { a: side(0), b: side(1) };
}
