/**
 * A streaming CSV/TSV splitter: text goes in chunk by chunk (any split, even inside a quoted field
 * or between `\r` and `\n`), whole records come out as arrays of fields.
 *
 * Written by hand rather than with papaparse for two reasons. It tells a quoted empty field (`""`,
 * an empty string) from an unquoted one (NULL) — PostgreSQL's CSV convention, the only way a CSV
 * can hold both — and it counts physical lines, so a malformed record is reported by line number.
 */
import { AppError } from '../../../shared/errors.js';

export type CsvField = string | null;

export interface CsvRecord {
  fields: CsvField[];
  /** 1-based physical line where the record starts. */
  line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvSplitter {
  private readonly delimiter: number;
  private fields: CsvField[] = [];
  /** Text of the current field carried over from earlier chunks. */
  private pending = '';
  private inQuotes = false;
  /** The current field was quoted (so empty means '' rather than NULL). */
  private quoted = false;
  /** Just saw the closing quote of a quoted field (or the first of a doubled quote). */
  private afterQuote = false;
  private skipLf = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private started = false;

  /**
   * `blankLinesAreRows`: an empty line is a row of one NULL rather than nothing — how a file
   * Strata wrote spells a NULL in a one-column dataset (other files' blank lines are skipped).
   */
  constructor(
    delimiter: string,
    private readonly file: string,
    private readonly blankLinesAreRows = false,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Splits `text`, calling `emit` for each complete record; false from `emit` stops early. */
  push(text: string, emit: (record: CsvRecord) => boolean | void): boolean {
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    let start = i;
    const n = text.length;
    const d = this.delimiter;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          start = ++i;
          continue;
        }
      }
      if (this.inQuotes) {
        if (c === QUOTE) {
          this.pending += text.slice(start, i);
          this.inQuotes = false;
          this.afterQuote = true;
          start = i + 1;
        } else if (c === LF) {
          this.line++;
        } else if (c === CR) {
          if (text.charCodeAt(i + 1) !== LF) this.line++;
        }
        i++;
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (c === QUOTE) {
          // A doubled quote inside a quoted field: one literal quote, still quoted.
          this.pending += '"';
          this.inQuotes = true;
          start = ++i;
          continue;
        }
        if (c !== d && c !== LF && c !== CR) {
          throw this.malformed(`text after the closing quote of a field`);
        }
      }
      if (c === d) {
        this.endField(text, start, i);
        start = ++i;
      } else if (c === LF || c === CR) {
        this.endField(text, start, i);
        i++;
        start = i;
        if (c === CR) this.skipLf = true;
        const record = { fields: this.fields, line: this.recordLine };
        this.fields = [];
        this.line++;
        this.recordLine = this.line;
        if (this.blankLinesAreRows || !(record.fields.length === 1 && record.fields[0] === null)) {
          if (emit(record) === false) return false;
        }
      } else if (c === QUOTE && i === start && this.pending === '' && !this.quoted) {
        this.quoted = true;
        this.inQuotes = true;
        this.quoteLine = this.line;
        start = ++i;
      } else {
        i++;
      }
    }
    this.pending += text.slice(start, n);
    return true;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(emit: (record: CsvRecord) => boolean | void): void {
    if (this.inQuotes) {
      throw new AppError(
        'query-failed',
        `${this.file}: the quoted field opened on line ${this.quoteLine} is never closed`,
        'Check the file for a stray double quote.',
      );
    }
    if (this.pending === '' && !this.quoted && this.fields.length === 0) return;
    this.fields.push(this.quoted || this.pending !== '' ? this.pending : null);
    const record = { fields: this.fields, line: this.recordLine };
    this.fields = [];
    this.pending = '';
    this.quoted = false;
    emit(record);
  }

  private endField(text: string, start: number, end: number): void {
    const value = this.pending + text.slice(start, end);
    this.fields.push(this.quoted || value !== '' ? value : null);
    this.pending = '';
    this.quoted = false;
  }

  private malformed(what: string): AppError {
    return new AppError(
      'query-failed',
      `${this.file}, line ${this.line}: ${what}`,
      'Quote fields that contain the delimiter, quotes or line breaks, and double inner quotes.',
    );
  }
}
