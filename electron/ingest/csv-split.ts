/**
 * The ingest's CSV splitter: decoded text goes in chunk by chunk (any split, even inside a quoted
 * field or between `\r` and `\n`), records come out as arrays of fields with the physical line
 * they start on.
 *
 * Why not papaparse or udsv: chosen by measurement (test/bench/ingest.bench.ts). On the 1M-row
 * benchmark file this splitter is the fastest of the three, and it is the only one correct on the
 * nasty corpus: it tells a quoted empty field ('') from an unquoted one (NULL), reports records by
 * physical line (mixed `\n`, `\r\n` and `\r` included), and names the line an unclosed quote opened
 * on; udsv needs line breaks inside quotes to match the row separator, papaparse guesses one
 * newline per file and neither gives line numbers. It jumps with `indexOf` (memchr-fast) instead
 * of looking at every character. Browsing CSV files (backends/file-datasets) splits with it too.
 */
import { AppError } from '../../shared/errors.js';

export type CsvField = string | null;

export interface CsvRecord {
  fields: CsvField[];
  /** 1-based physical line where the record starts. */
  line: number;
}

export interface SplitOptions {
  delimiter: string;
  /** The quote character; '' reads every field as it is (no quoting). */
  quote: string;
  /** How a quote is written inside a quoted field: doubled (`""`) or after a backslash (`\"`). */
  escape: 'double' | 'backslash';
  /** Names the file in errors. */
  source: string;
  /**
   * An empty line is a row of one NULL rather than nothing — how a file Strata wrote spells a
   * NULL in a one-column dataset (other files' blank lines are skipped).
   */
  blankLinesAreRows?: boolean;
  /**
   * Every record is the same object, its fields the same array, refilled for each: valid only
   * during the `emit` call (copy what is kept). Saves two allocations a record where the caller
   * only looks (the ingest reader); off by default.
   */
  reuseRecord?: boolean;
}

const LF = '\n';
const CR = '\r';
/** "Search again": a cached next-position older than the scan position. */
const stale = -2;

export class CsvSplit {
  private readonly delimiter: string;
  private readonly quote: string;
  private readonly backslash: boolean;
  private fields: CsvField[] = [];
  /** Fields of the current record so far (`fields` may be longer: a reused array). */
  private count = 0;
  private readonly reused: CsvRecord | undefined;
  /** Text of the current field carried over from earlier chunks (or quoted segments). */
  private pending = '';
  private inQuotes = false;
  /** The current field was quoted (so empty means '' rather than NULL). */
  private quoted = false;
  /** The chunk ended just after a quote inside a quoted field: closing, or half of `""`. */
  private afterQuote = false;
  /** The chunk ended just after a backslash inside a quoted field. */
  private afterEscape = false;
  /** The chunk ended with the `\r` of a record's line break: skip a `\n` that follows. */
  private skipLf = false;
  /** The chunk ended with a `\r` inside a quoted field, already counted as a line break. */
  private quotedCr = false;
  /** This chunk starts with the `\n` of that `\r`. */
  private lfContinuesCr = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  // Next positions in the current chunk of the delimiter, LF, CR and backslash: each character is
  // found by one indexOf, however many fields lie between two of them.
  private nd = stale;
  private nl = stale;
  private nc = stale;
  private nb = stale;

  constructor(private readonly options: SplitOptions) {
    this.delimiter = options.delimiter;
    this.quote = options.quote;
    this.backslash = options.escape === 'backslash';
    this.reused = options.reuseRecord ? { fields: this.fields, line: 1 } : undefined;
  }

  /** Splits `text`, calling `emit` for each complete record. */
  push(text: string, emit: (record: CsvRecord) => void): void {
    const n = text.length;
    const d = this.delimiter;
    const q = this.quote;
    this.nd = this.nl = this.nc = this.nb = stale;
    this.lfContinuesCr = this.quotedCr && text[0] === LF;
    this.quotedCr = false;
    let i = 0;
    if (n > 0 && this.skipLf) {
      this.skipLf = false;
      if (text[0] === LF) i = 1;
    }
    let start = i;
    while (i < n) {
      if (this.inQuotes) {
        const after = this.scanQuoted(text, i);
        if (after < 0) return;
        i = start = after;
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        const c = text[i];
        if (c === q && !this.backslash) {
          this.pending += q;
          this.inQuotes = true;
          start = ++i;
          continue;
        }
        if (c !== d && c !== LF && c !== CR) throw this.malformed('text after the closing quote');
      }
      if (i === start && q !== '' && text[i] === q && this.pending === '' && !this.quoted) {
        this.quoted = true;
        this.inQuotes = true;
        this.quoteLine = this.line;
        start = ++i;
        continue;
      }
      if (this.nd !== -1 && this.nd < i) this.nd = text.indexOf(d, i);
      if (this.nl !== -1 && this.nl < i) this.nl = text.indexOf(LF, i);
      if (this.nc !== -1 && this.nc < i) this.nc = text.indexOf(CR, i);
      let end = this.nd < 0 ? n : this.nd;
      if (this.nl >= 0 && this.nl < end) end = this.nl;
      if (this.nc >= 0 && this.nc < end) end = this.nc;
      if (end === n) {
        this.pending += text.slice(start, n);
        return;
      }
      const value =
        this.pending === '' ? text.slice(start, end) : this.pending + text.slice(start, end);
      this.fields[this.count++] = this.quoted || value !== '' ? value : null;
      this.pending = '';
      this.quoted = false;
      i = start = end + 1;
      if (end === this.nd) continue;
      // A line break ends the record; `\r\n` is one break.
      if (end === this.nc) {
        if (i === n) this.skipLf = true;
        else if (text[i] === LF) start = ++i;
      }
      this.endRecord(emit);
    }
  }

  /** Flushes the last record (a file need not end with a line break). */
  end(emit: (record: CsvRecord) => void): void {
    if (this.inQuotes || this.afterEscape) {
      throw new AppError(
        'invalid-input',
        `${this.options.source}: the quoted field opened on line ${this.quoteLine} is never closed`,
        'Check the file for a stray quote character.',
      );
    }
    this.afterQuote = false;
    if (this.pending === '' && !this.quoted && this.count === 0) return;
    this.fields[this.count++] = this.quoted || this.pending !== '' ? this.pending : null;
    this.pending = '';
    this.quoted = false;
    emit(this.takeRecord());
  }

  /**
   * Inside a quoted field at `from`: moves its text into `pending` up to the closing quote and
   * answers the index just after that quote, or -1 when the chunk ends first.
   */
  private scanQuoted(text: string, from: number): number {
    const q = this.quote;
    const n = text.length;
    let i = from;
    if (this.afterEscape) {
      this.afterEscape = false;
      this.pending += text[i];
      this.countBreaks(text, i, i + 1);
      i++;
    }
    for (;;) {
      const close = text.indexOf(q, i);
      if (this.backslash && this.nb !== -1 && this.nb < i) this.nb = text.indexOf('\\', i);
      const escape = this.backslash ? this.nb : -1;
      if (escape >= 0 && (close < 0 || escape < close)) {
        // A backslash takes the next character literally, a quote or a backslash included.
        this.countBreaks(text, i, escape);
        this.pending += text.slice(i, escape);
        if (escape + 1 >= n) {
          this.afterEscape = true;
          return -1;
        }
        this.pending += text[escape + 1];
        this.countBreaks(text, escape + 1, escape + 2);
        i = escape + 2;
        continue;
      }
      const to = close < 0 ? n : close;
      this.countBreaks(text, i, to);
      this.pending += text.slice(i, to);
      if (close < 0) return -1;
      this.inQuotes = false;
      const next = close + 1;
      if (next >= n) {
        this.afterQuote = true;
        return next;
      }
      const c = text[next];
      if (c === q && !this.backslash) {
        this.pending += q;
        this.inQuotes = true;
        i = next + 1;
        continue;
      }
      if (c !== this.delimiter && c !== LF && c !== CR) {
        throw this.malformed('text after the closing quote');
      }
      return next;
    }
  }

  /** Counts the line breaks in text[from, to), which lies inside a quoted field. */
  private countBreaks(text: string, from: number, to: number): void {
    for (let k = from; ;) {
      if (this.nl !== -1 && this.nl < k) this.nl = text.indexOf(LF, k);
      if (this.nl < 0 || this.nl >= to) break;
      // A \n first in the chunk after a quoted \r that ended the last one: that break again.
      if (this.nl !== 0 || !this.lfContinuesCr) this.line++;
      k = this.nl + 1;
    }
    for (let k = from; ;) {
      if (this.nc !== -1 && this.nc < k) this.nc = text.indexOf(CR, k);
      if (this.nc < 0 || this.nc >= to) break;
      // \r\n was counted at its \n.
      if (text[this.nc + 1] !== LF) {
        this.line++;
        if (this.nc + 1 === text.length) this.quotedCr = true;
      }
      k = this.nc + 1;
    }
  }

  /** The record just completed; the next one starts empty. */
  private takeRecord(): CsvRecord {
    const fields = this.fields;
    if (fields.length !== this.count) fields.length = this.count;
    this.count = 0;
    const reused = this.reused;
    if (reused) {
      reused.line = this.recordLine;
      return reused;
    }
    this.fields = [];
    return { fields, line: this.recordLine };
  }

  private endRecord(emit: (record: CsvRecord) => void): void {
    const record = this.takeRecord();
    this.line++;
    this.recordLine = this.line;
    // A blank line is no record, unless the file was written that way.
    const blank = record.fields.length === 1 && record.fields[0] === null;
    if (blank && !this.options.blankLinesAreRows) return;
    emit(record);
  }

  private malformed(what: string): AppError {
    return new AppError(
      'invalid-input',
      `${this.options.source}, line ${this.line}: ${what} of a field`,
      'Quote fields that contain the delimiter, quotes or line breaks, and double inner quotes.',
    );
  }
}
