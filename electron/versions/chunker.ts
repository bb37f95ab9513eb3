/**
 * Content-defined chunking on row boundaries. Rows arrive in key order and are encoded one after
 * the other; a chunk ends after a row whose *key* hashes below a threshold proportional to the
 * row's size (so chunks average `target` bytes whatever the row width), once the chunk holds at
 * least `min` bytes, or when it reaches `max`.
 *
 * Why the key and not the whole row: a boundary then depends only on which keys exist, so
 * changing a row's values changes exactly the chunk holding it, and inserting or deleting a row
 * changes its chunk and, at most, splits or merges it with a neighbour. `min` is small (1/16 of
 * the target) because a boundary suppressed by it is what lets one edit ripple into the next
 * chunk; `max` bounds memory for keys that never hit.
 */
import { cellEnd, decodeRowAt, rowBody, RowWriter, type RowValue } from './canonical.js';

export interface ChunkingParams {
  target: number;
  min: number;
  max: number;
}

export const defaultChunking: ChunkingParams = { target: 64 << 10, min: 4 << 10, max: 512 << 10 };

export interface Chunk {
  bytes: Buffer;
  rows: number;
  firstKey: RowValue[];
  lastKey: RowValue[];
}

export class Chunker {
  private readonly writer = new RowWriter();
  private readonly cellEnds: number[];
  /** Cells of an encoded row to walk to find every key cell's end. */
  private readonly keyReach: number;
  private rows = 0;
  /** Where the chunk's latest row starts in the writer: its key is decoded when the chunk is cut. */
  private lastRowStart = 0;
  /** 2^32 / (target − min): a row of n bytes ends a chunk with probability n / (target − min). */
  private readonly scale: number;

  constructor(
    private readonly columnCount: number,
    private readonly keyIndexes: readonly number[],
    private readonly params: ChunkingParams = defaultChunking,
    /** Where cut chunks' bytes go (a snapshot's shared ring); buffers of their own by default. */
    private readonly alloc: (size: number) => Buffer = Buffer.allocUnsafeSlow,
  ) {
    this.cellEnds = new Array<number>(columnCount).fill(0);
    this.keyReach = keyIndexes.length === 0 ? 0 : Math.max(...keyIndexes) + 1;
    this.scale = 2 ** 32 / Math.max(1, params.target - params.min);
  }

  /** Adds a row; answers the chunk it completes, if it completes one. */
  push(row: readonly RowValue[]): Chunk | undefined {
    const rowStart = this.writer.length;
    const bodyStart = this.writer.writeRow(row, this.cellEnds);
    this.lastRowStart = rowStart;
    this.rows++;
    const size = this.writer.length;
    const buf = this.writer.bytes();
    return this.endsChunk(size, size - rowStart, buf, bodyStart) ? this.cut() : undefined;
  }

  /**
   * Adds rows already in the canonical encoding (a scan's batch): only each row's key cells are
   * walked — no value is decoded — and the rows are not copied one by one: a chunk that lies in
   * the batch is copied out once, as it is cut; the batch's rows past its last cut are kept for
   * the next. Answers the chunks they complete.
   */
  pushEncoded(bytes: Uint8Array): Chunk[] {
    const chunks: Chunk[] = [];
    /** Where the batch's rows not yet in a chunk (nor in the writer) start. */
    let from = 0;
    let pos = 0;
    let lastRow = 0;
    while (pos < bytes.length) {
      const body = rowBody(bytes, pos);
      let at = body.start;
      for (let i = 0; i < this.keyReach; i++) this.cellEnds[i] = at = cellEnd(bytes, at);
      this.rows++;
      lastRow = pos;
      const size = this.writer.length + body.end - from;
      if (this.endsChunk(size, body.end - pos, bytes, body.start)) {
        chunks.push(this.cutEncoded(bytes, from, body.end, pos));
        from = body.end;
      }
      pos = body.end;
    }
    if (from < bytes.length) {
      this.lastRowStart = this.writer.length + lastRow - from;
      this.writer.append(bytes, from, bytes.length);
    }
    return chunks;
  }

  /** The last, partial chunk. */
  flush(): Chunk | undefined {
    return this.rows > 0 ? this.cut() : undefined;
  }

  /** Whether a row of `rowBytes`, whose body starts at `bodyStart` in `buf`, ends the chunk. */
  private endsChunk(size: number, rowBytes: number, buf: Uint8Array, bodyStart: number): boolean {
    if (size >= this.params.max) return true;
    if (size < this.params.min) return false;
    return this.keyHash(buf, bodyStart) < rowBytes * this.scale;
  }

  /** The chunk in the writer. */
  private cut(): Chunk {
    const buf = this.writer.bytes();
    const firstKey = this.key(buf, 0);
    const lastKey = this.key(buf, this.lastRowStart);
    const chunk = { bytes: this.writer.take(this.alloc), rows: this.rows, firstKey, lastKey };
    this.rows = 0;
    return chunk;
  }

  /** The chunk of the writer's rows and `batch[from, to)`, whose last row starts at `lastRow`. */
  private cutEncoded(batch: Uint8Array, from: number, to: number, lastRow: number): Chunk {
    let bytes: Buffer;
    if (this.writer.length === 0) {
      bytes = this.alloc(to - from);
      bytes.set(batch.subarray(from, to));
    } else {
      this.writer.append(batch, from, to);
      bytes = this.writer.take(this.alloc);
    }
    const chunk = {
      bytes,
      rows: this.rows,
      firstKey: this.key(bytes, 0),
      lastKey: this.key(batch, lastRow),
    };
    this.rows = 0;
    return chunk;
  }

  private key(buf: Uint8Array, rowStart: number): RowValue[] {
    const row = decodeRowAt(buf, rowStart, this.columnCount);
    return this.keyIndexes.map((i) => row[i]!);
  }

  /** FNV-1a over the key cells' encoded bytes, then murmur3's finaliser to spread sequential keys. */
  private keyHash(bytes: Uint8Array, bodyStart: number): number {
    let h = 0x811c9dc5;
    for (const index of this.keyIndexes) {
      const start = index === 0 ? bodyStart : this.cellEnds[index - 1]!;
      const end = this.cellEnds[index]!;
      for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }
}
