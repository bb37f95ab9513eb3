/**
 * The canonical row encoding of the versioning store: the bytes that are chunked, hashed and
 * compressed. It must be deterministic (the same row always gives the same bytes, so unchanged
 * data dedupes), compact, and fast to write without a per-row object or JSON.
 *
 * A row is `varint(bodyLength) body`; the body is one cell per schema column, each a tag byte and
 * its payload:
 *   0 null · 1 false · 2 true
 *   3 integer with |n| ≤ 2^52, zigzag varint (exact in a double) — number or bigint alike, so 5 and
 *     5n encode the same (a value's JS type depends on the driver, its meaning does not)
 *   4 float64, little-endian: every other non-integer; NaN has one bit pattern; −0 is 0
 *   5 any larger integer, number or bigint: zigzag varint of the bigint; decoded as a number when
 *     it is a safe integer, else as a bigint
 *   6 text: varint(UTF-8 byte length), the bytes · 7 bytes: varint(length), the bytes
 */
import { isUtf8 } from 'node:buffer';
import { AppError } from '../../shared/errors.js';

import type { RowValue } from '../backends/scan.js';

export type { RowValue };

export const encodingName = 'strata-rows-v1';

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Int = 3,
  Float = 4,
  BigInt = 5,
  Text = 6,
  Bytes = 7,
}

const maxSafeBig = BigInt(Number.MAX_SAFE_INTEGER);
const minSafeBig = -maxSafeBig;
/** Past this, a zigzag value (2|n|+1) is no longer exact in a double. */
const smallIntLimit = 2 ** 52;
const smallBigLimit = BigInt(smallIntLimit);

/**
 * Appends rows to a growing buffer; `take()` hands over a copy of the bytes, exactly sized, and
 * starts again on the same buffer — which is how the chunker cuts a chunk.
 */
export class RowWriter {
  private buf: Buffer;
  private pos = 0;

  /** Writes into a buffer of its own, or into `initial` (until a row needs more room). */
  constructor(initial: number | Buffer = 1 << 17) {
    this.buf = typeof initial === 'number' ? Buffer.allocUnsafe(initial) : initial;
  }

  /** Starts again, empty, writing into `buf`; the bytes written so far are left where they are. */
  restart(buf: Buffer): void {
    this.buf = buf;
    this.pos = 0;
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes so far, copied out (into a buffer from `alloc`); the writer starts empty again. */
  take(alloc: (size: number) => Buffer = Buffer.allocUnsafeSlow): Buffer {
    const out = alloc(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }

  /** Encodes one row; answers where its body starts, so callers can hash cells they pick. */
  writeRow(row: readonly RowValue[], cellEnds?: number[]): number {
    const start = this.beginRow();
    const bodyStart = start + 1;
    for (let i = 0; i < row.length; i++) {
      this.writeCell(row[i]!);
      if (cellEnds) cellEnds[i] = this.pos;
    }
    const extra = this.endRow(start);
    if (cellEnds && extra > 0) for (let i = 0; i < row.length; i++) cellEnds[i]! += extra;
    return bodyStart + extra;
  }

  /**
   * Starts a row written cell by cell (`cell`, `utf8Cell`, `bytesCell`), for a reader that has
   * the values as bytes rather than as JS values; `endRow(start)` closes it. The bytes are the
   * ones `writeRow` gives for the same values.
   */
  beginRow(): number {
    this.ensure(1);
    const start = this.pos;
    this.pos += 1; // one byte for the length; moved along by endRow when the row is longer
    return start;
  }

  /** Writes the length of the row begun at `start`; answers how far its body moved (0 mostly). */
  endRow(start: number): number {
    const bodyStart = start + 1;
    const bodyLength = this.pos - bodyStart;
    if (bodyLength < 0x80) {
      this.buf[start] = bodyLength;
      return 0;
    }
    const extra = varintSize(bodyLength) - 1;
    this.ensure(extra);
    this.buf.copyWithin(bodyStart + extra, bodyStart, this.pos);
    this.pos = start;
    this.writeVarint(bodyLength);
    this.pos = bodyStart + extra + bodyLength;
    return extra;
  }

  /** One cell of the row begun by `beginRow`. */
  cell(value: RowValue): void {
    this.writeCell(value);
  }

  /**
   * An integer cell, |value| within 2^52: the bytes `cell` writes for it, without asking what
   * the value is (a reader of integer fields knows).
   */
  intCell(value: number): void {
    this.ensure(10);
    this.buf[this.pos++] = Tag.Int;
    this.writeVarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /**
   * A text cell from its UTF-8 bytes, as `cell` writes the string they decode to: valid UTF-8 is
   * copied as it is; invalid bytes are decoded (each bad sequence becoming U+FFFD, as a driver
   * turning them into a JS string does) and that string written.
   */
  utf8Cell(src: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.ensure(6 + length);
    const buf = this.buf;
    const at = this.pos;
    buf[this.pos++] = Tag.Text;
    this.writeVarint(length);
    let ascii = true;
    if (length <= 64) {
      const pos = this.pos;
      for (let i = 0; i < length; i++) {
        const c = src[start + i]!;
        if (c >= 0x80) ascii = false;
        buf[pos + i] = c;
      }
    } else {
      const bytes = src.subarray(start, end);
      buf.set(bytes, this.pos);
      ascii = false; // isUtf8 below: one pass in C++ is cheaper than a JS loop here
    }
    if (!ascii && !isUtf8(src.subarray(start, end))) {
      this.pos = at;
      this.writeText(Buffer.from(src.buffer, src.byteOffset + start, length).toString('utf8'));
      return;
    }
    this.pos += length;
  }

  /** A bytes cell (a blob), copied from `src`. */
  bytesCell(src: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.ensure(6 + length);
    this.buf[this.pos++] = Tag.Bytes;
    this.writeVarint(length);
    this.buf.set(src.subarray(start, end), this.pos);
    this.pos += length;
  }

  /** Appends bytes already encoded (whole rows). */
  append(bytes: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    this.buf.set(bytes.subarray(start, end), this.pos);
    this.pos += end - start;
  }

  /** The buffer being written (valid until the next write), for hashing a row in place. */
  bytes(): Buffer {
    return this.buf;
  }

  private writeCell(value: RowValue): void {
    this.ensure(10);
    const buf = this.buf;
    if (value === null) {
      buf[this.pos++] = Tag.Null;
    } else if (typeof value === 'number') {
      if (Number.isSafeInteger(value) && Math.abs(value) > smallIntLimit) {
        this.writeCell(BigInt(value));
      } else if (Number.isSafeInteger(value)) {
        buf[this.pos++] = Tag.Int;
        this.writeVarint(value >= 0 ? value * 2 : -value * 2 - 1);
      } else {
        buf[this.pos++] = Tag.Float;
        // Every NaN is written as the one quiet NaN, so NaNs from different sources dedupe.
        buf.writeDoubleLE(Number.isNaN(value) ? Number.NaN : value, this.pos);
        this.pos += 8;
      }
    } else if (typeof value === 'string') {
      this.writeText(value);
    } else if (typeof value === 'boolean') {
      buf[this.pos++] = value ? Tag.True : Tag.False;
    } else if (typeof value === 'bigint') {
      if (value >= -smallBigLimit && value <= smallBigLimit) {
        this.writeCell(Number(value));
      } else {
        buf[this.pos++] = Tag.BigInt;
        this.writeBigVarint(value >= 0n ? value * 2n : -value * 2n - 1n);
      }
    } else if (value instanceof Uint8Array) {
      buf[this.pos++] = Tag.Bytes;
      this.writeVarint(value.byteLength);
      this.ensure(value.byteLength);
      this.buf.set(value, this.pos);
      this.pos += value.byteLength;
    } else {
      throw new AppError('internal', `A cell of type ${typeof value} cannot be snapshotted`);
    }
  }

  private writeText(text: string): void {
    // Up to 42 UTF-16 units are at most 126 UTF-8 bytes: one length byte, written after. Short
    // ASCII (most cells) is copied in a loop: cheaper than a call into C++ for a few bytes.
    const n = text.length;
    if (n <= 42) {
      this.ensure(2 + n * 3);
      const buf = this.buf;
      const start = this.pos + 2;
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      const written = i === n ? n : utf8Write(buf, text, start);
      buf[this.pos] = Tag.Text;
      buf[this.pos + 1] = written;
      this.pos = start + written;
      return;
    }
    const length = Buffer.byteLength(text);
    this.ensure(6 + length);
    this.buf[this.pos++] = Tag.Text;
    this.writeVarint(length);
    this.pos += utf8Write(this.buf, text, this.pos);
  }

  /** Unsigned LEB128 of a non-negative safe integer (zigzag values reach 2^54, still exact). */
  private writeVarint(value: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let v = value;
    if (v < 0x80000000) {
      // Most lengths and integers: 32-bit operations, where the general case divides doubles.
      while (v >= 0x80) {
        buf[pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
    } else {
      while (v >= 0x80) {
        buf[pos++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  private writeBigVarint(value: bigint): void {
    let v = value;
    this.ensure(24);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
      this.ensure(2);
    }
    this.buf[this.pos++] = Number(v);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra + 1024));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

/**
 * Buffer's own UTF-8 writer, without `write()`'s argument juggling (a third of the encoding time
 * on text-heavy rows). Undocumented but present since Node 0.x; `write` is the fallback.
 */
type Utf8Writer = { utf8Write?: (text: string, offset: number) => number };
const fastUtf8 = typeof (Buffer.prototype as Utf8Writer).utf8Write === 'function';
function utf8Write(buf: Buffer, text: string, offset: number): number {
  return fastUtf8
    ? (buf as unknown as Required<Utf8Writer>).utf8Write(text, offset)
    : buf.write(text, offset);
}

function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) size++;
  return size;
}

/**
 * Walking encoded rows without decoding them (a scan's batch, chunked as it came): where a row's
 * body starts and ends, and where a cell ends. Bytes come from this process's own encoder (the
 * scan workers), so they are trusted here; `decodeRows` checks what comes back from the store.
 */
export function rowBody(buf: Uint8Array, rowStart: number): { start: number; end: number } {
  let length = 0;
  let scale = 1;
  let pos = rowStart;
  for (;;) {
    const byte = buf[pos++]!;
    length += (byte & 0x7f) * scale;
    if (byte < 0x80) return { start: pos, end: pos + length };
    scale *= 0x80;
  }
}

/** The offset just past the cell that starts at `pos`. */
export function cellEnd(buf: Uint8Array, pos: number): number {
  const tag = buf[pos++]!;
  switch (tag) {
    case Tag.Null:
    case Tag.False:
    case Tag.True:
      return pos;
    case Tag.Float:
      return pos + 8;
    case Tag.Int:
    case Tag.BigInt:
      while (buf[pos++]! >= 0x80);
      return pos;
    default:
      return rowBody(buf, pos).end; // text and bytes: a varint length, then that many bytes
  }
}

/** The one row that starts at `rowStart`, decoded. */
export function decodeRowAt(bytes: Uint8Array, rowStart: number, columnCount: number): RowValue[] {
  return new RowReader(bytes, 'chunk', rowStart).readRow(columnCount);
}

/** Decodes rows of `columnCount` cells; malformed bytes are an error naming `source`. */
export function decodeRows(bytes: Uint8Array, columnCount: number, source = 'chunk'): RowValue[][] {
  const rows: RowValue[][] = [];
  const reader = new RowReader(bytes, source);
  while (!reader.done) rows.push(reader.readRow(columnCount));
  return rows;
}

class RowReader {
  private pos = 0;
  private readonly buf: Buffer;

  constructor(
    bytes: Uint8Array,
    private readonly source: string,
    start = 0,
  ) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  readRow(columnCount: number): RowValue[] {
    const length = this.readVarint();
    const end = this.pos + length;
    if (end > this.buf.length) throw this.malformed('a row runs past the end');
    const row = new Array<RowValue>(columnCount);
    for (let i = 0; i < columnCount; i++) row[i] = this.readCell(end);
    if (this.pos !== end) throw this.malformed('a row has more cells than the schema');
    return row;
  }

  private readCell(end: number): RowValue {
    if (this.pos >= end) throw this.malformed('a row has fewer cells than the schema');
    const tag = this.buf[this.pos++]!;
    switch (tag) {
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Int: {
        const z = this.readVarint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case Tag.Float: {
        const value = this.buf.readDoubleLE(this.pos);
        this.pos += 8;
        return value;
      }
      case Tag.BigInt: {
        const z = this.readBigVarint();
        const value = z % 2n === 0n ? z / 2n : -(z + 1n) / 2n;
        return value >= minSafeBig && value <= maxSafeBig ? Number(value) : value;
      }
      case Tag.Text: {
        const length = this.readVarint();
        if (this.pos + length > end) throw this.malformed('a value runs past its row');
        const text = this.buf.toString('utf8', this.pos, this.pos + length);
        this.pos += length;
        return text;
      }
      case Tag.Bytes: {
        const length = this.readVarint();
        if (this.pos + length > end) throw this.malformed('a value runs past its row');
        const value = new Uint8Array(this.buf.subarray(this.pos, this.pos + length));
        this.pos += length;
        return value;
      }
      default:
        throw this.malformed(`unknown cell tag ${tag}`);
    }
  }

  private readVarint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw this.malformed('a number runs past the end');
      const byte = this.buf[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 56) throw this.malformed('a number is too long');
    }
  }

  private readBigVarint(): bigint {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw this.malformed('a number runs past the end');
      const byte = this.buf[this.pos++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
      shift += 7n;
    }
  }

  private malformed(what: string): AppError {
    return new AppError('internal', `The ${this.source} is not valid snapshot data: ${what}`);
  }
}
