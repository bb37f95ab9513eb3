/**
 * Rows packed to cross a thread boundary cheaply: one tag byte per value, numbers in a
 * Float64Array, all text joined into one string with its end offsets. The typed arrays are
 * transferred (moved, not copied) and the one string is copied as a block, where structured
 * clone of an array of row arrays visits and allocates every value on both sides — the cost
 * that made the ingest's rows slower to hand over than to insert.
 *
 * Written by hand rather than with a serialization library: the values are the six WriteValue
 * kinds only, and what matters here is the copy-free hand-over of typed arrays, which the
 * libraries (msgpack, protobuf) replace with an encode into bytes and a decode back.
 */
import type { WriteValue } from './writer.js';

const NULL = 0;
const NUMBER = 1;
const TEXT = 2;
const BIGINT = 3;
const FALSE = 4;
const TRUE = 5;
const BYTES = 6;

export interface PackedRows {
  rows: number;
  width: number;
  /** One per value, row-major. */
  tags: Uint8Array;
  /** The value of each NUMBER tag, in order. */
  numbers: Float64Array;
  /** TEXT and BIGINT values (decimal digits), joined. */
  text: string;
  /** End offset in `text` of each TEXT or BIGINT value, in order. */
  textEnds: Uint32Array;
  /** BYTES values, in order (rare: blob columns). */
  bytes: Uint8Array[];
}

/** What to pass as postMessage's transfer list with a batch. */
export function transferables(batch: PackedRows): ArrayBuffer[] {
  return [batch.tags.buffer, batch.numbers.buffer, batch.textEnds.buffer] as ArrayBuffer[];
}

/** Collects rows into a PackedRows; `take` hands the batch over and starts the next. */
export class RowPacker {
  private tags: number[] = [];
  private numbers: number[] = [];
  private texts: string[] = [];
  private textEnds: number[] = [];
  private textLength = 0;
  private bytes: Uint8Array[] = [];
  private count = 0;

  constructor(private readonly width: number) {}

  get rows(): number {
    return this.count;
  }

  add(row: readonly WriteValue[]): void {
    const { tags, width } = this;
    for (let c = 0; c < width; c++) {
      const value = row[c];
      switch (typeof value) {
        case 'number':
          tags.push(NUMBER);
          this.numbers.push(value);
          break;
        case 'string':
          tags.push(TEXT);
          this.addText(value);
          break;
        case 'boolean':
          tags.push(value ? TRUE : FALSE);
          break;
        case 'bigint':
          tags.push(BIGINT);
          this.addText(value.toString());
          break;
        default:
          if (value instanceof Uint8Array) {
            tags.push(BYTES);
            this.bytes.push(value);
          } else tags.push(NULL);
      }
    }
    this.count++;
  }

  take(): PackedRows {
    const batch: PackedRows = {
      rows: this.count,
      width: this.width,
      tags: Uint8Array.from(this.tags),
      numbers: Float64Array.from(this.numbers),
      text: this.texts.join(''),
      textEnds: Uint32Array.from(this.textEnds),
      bytes: this.bytes,
    };
    this.tags = [];
    this.numbers = [];
    this.texts = [];
    this.textEnds = [];
    this.textLength = 0;
    this.bytes = [];
    this.count = 0;
    return batch;
  }

  private addText(text: string): void {
    this.texts.push(text);
    this.textLength += text.length;
    this.textEnds.push(this.textLength);
  }
}

/**
 * Reads a batch back value by value, row-major: `next()` returns the next value. Booleans come
 * back as booleans and big integers as bigints, exactly as they were added.
 */
export class PackedReader {
  private tag = 0;
  private number = 0;
  private textIndex = 0;
  private textStart = 0;
  private bytesIndex = 0;

  constructor(private readonly batch: PackedRows) {}

  next(): WriteValue {
    const b = this.batch;
    switch (b.tags[this.tag++]) {
      case NUMBER:
        return b.numbers[this.number++]!;
      case TEXT:
        return this.nextText();
      case BIGINT:
        return BigInt(this.nextText());
      case TRUE:
        return true;
      case FALSE:
        return false;
      case BYTES:
        return b.bytes[this.bytesIndex++]!;
      default:
        return null;
    }
  }

  private nextText(): string {
    const end = this.batch.textEnds[this.textIndex++]!;
    const text = this.batch.text.slice(this.textStart, end);
    this.textStart = end;
    return text;
  }
}

/** Every row of a batch as arrays (for writers that take rows; tests). */
export function unpackRows(batch: PackedRows): WriteValue[][] {
  const reader = new PackedReader(batch);
  const rows: WriteValue[][] = [];
  for (let r = 0; r < batch.rows; r++) {
    const row = new Array<WriteValue>(batch.width);
    for (let c = 0; c < batch.width; c++) row[c] = reader.next();
    rows.push(row);
  }
  return rows;
}
