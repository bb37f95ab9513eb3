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

/**
 * Collects rows into a PackedRows, straight into typed arrays sized for `capacity` rows (grown
 * if more come); `take` hands the batch over (its arrays are then the receiver's) and starts the
 * next. Rows may be reused by the caller once added: their values are copied out.
 */
export class RowPacker {
  /** Values are copied out of the rows given to `add`. */
  readonly copies = true;
  private tags!: Uint8Array;
  private numbers!: Float64Array;
  private textEnds!: Uint32Array;
  private texts: string[] = [];
  private bytes: Uint8Array[] = [];
  private tagCount = 0;
  private numberCount = 0;
  private textCount = 0;
  private textLength = 0;
  private count = 0;

  constructor(
    private readonly width: number,
    private readonly capacity = 1024,
  ) {
    this.allocate();
  }

  get rows(): number {
    return this.count;
  }

  add(row: readonly WriteValue[]): void {
    const width = this.width;
    if (this.tagCount + width > this.tags.length) this.grow();
    const tags = this.tags;
    let t = this.tagCount;
    for (let c = 0; c < width; c++) {
      const value = row[c];
      switch (typeof value) {
        case 'number':
          tags[t++] = NUMBER;
          this.numbers[this.numberCount++] = value;
          break;
        case 'string':
          tags[t++] = TEXT;
          this.addText(value);
          break;
        case 'boolean':
          tags[t++] = value ? TRUE : FALSE;
          break;
        case 'bigint':
          tags[t++] = BIGINT;
          this.addText(value.toString());
          break;
        default:
          if (value instanceof Uint8Array) {
            tags[t++] = BYTES;
            this.bytes.push(value);
          } else tags[t++] = NULL;
      }
    }
    this.tagCount = t;
    this.count++;
  }

  take(): PackedRows {
    const batch: PackedRows = {
      rows: this.count,
      width: this.width,
      tags: this.tags.slice(0, this.tagCount),
      numbers: this.numbers.slice(0, this.numberCount),
      text: this.texts.join(''),
      textEnds: this.textEnds.slice(0, this.textCount),
      bytes: this.bytes,
    };
    this.texts = [];
    this.bytes = [];
    this.tagCount = this.numberCount = this.textCount = this.textLength = this.count = 0;
    return batch;
  }

  private allocate(): void {
    const values = Math.max(1, this.capacity * this.width);
    this.tags = new Uint8Array(values);
    this.numbers = new Float64Array(values);
    this.textEnds = new Uint32Array(values);
  }

  private grow(): void {
    const { tags, numbers, textEnds } = this;
    this.tags = new Uint8Array(tags.length * 2 + this.width);
    this.tags.set(tags);
    this.numbers = new Float64Array(this.tags.length);
    this.numbers.set(numbers);
    this.textEnds = new Uint32Array(this.tags.length);
    this.textEnds.set(textEnds);
  }

  private addText(text: string): void {
    this.texts.push(text);
    this.textLength += text.length;
    this.textEnds[this.textCount++] = this.textLength;
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
