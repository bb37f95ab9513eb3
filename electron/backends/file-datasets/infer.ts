/**
 * Column types inferred from a sample of values: the narrowest type every non-null value fits.
 * Text from CSV is recognised as integer, decimal (every value with the same number of decimals,
 * as money usually is), float, boolean, date or timestamp; JSON values keep their JSON type.
 * A later value that does not fit is kept as text by the cache, never an error.
 */
import type { LogicalType } from '../../../shared/model.js';

const intPattern = /^[+-]?(0|[1-9]\d*)$/;
const leadingZero = /^[+-]?0\d/;
const fixedPattern = /^[+-]?\d+\.(\d+)$/;
const floatPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const timestampPattern =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const booleans = new Set(['true', 'false', 't', 'f', 'TRUE', 'FALSE', 'True', 'False']);
const int64Max = 9223372036854775807n;

/** Accumulates what a column's sampled values allow it to be. */
export class TypeGuess {
  nulls = 0;
  values = 0;
  private integer = true;
  private big = false;
  /** The common number of decimals, or -1 once two values disagree (or one is an integer). */
  private scale: number | undefined;
  private float = true;
  private boolean = true;
  private date = true;
  private timestamp = true;
  private json = true;
  private textOnly = false;

  observeText(text: string | null): void {
    if (text === null) {
      this.nulls++;
      return;
    }
    this.values++;
    this.json = false;
    if (this.integer || this.scale !== -1 || this.float) this.observeNumberText(text);
    if (this.boolean && !booleans.has(text)) this.boolean = false;
    if (this.date && !datePattern.test(text)) this.date = false;
    if (this.timestamp && !datePattern.test(text) && !timestampPattern.test(text)) {
      this.timestamp = false;
    }
  }

  /** A JSON value: numbers, booleans and nested values keep their type; strings are read as text. */
  observeValue(value: unknown): void {
    if (value === null || value === undefined) {
      this.nulls++;
      return;
    }
    if (typeof value === 'string') {
      // A string is text even when it spells a number: the writer chose to quote it.
      this.integer = this.float = this.boolean = false;
      this.scale = -1;
      this.observeText(value);
      return;
    }
    this.values++;
    this.date = this.timestamp = false;
    if (typeof value === 'number') {
      this.boolean = this.json = false;
      this.scale = -1;
      if (!Number.isInteger(value)) this.integer = false;
      else if (!Number.isSafeInteger(value)) this.big = true;
    } else if (typeof value === 'boolean') {
      this.integer = this.float = this.json = false;
      this.scale = -1;
    } else if (typeof value === 'object') {
      this.integer = this.float = this.boolean = false;
      this.scale = -1;
    } else {
      this.textOnly = true;
    }
  }

  result(): { type: LogicalType; scale?: number } {
    if (this.values === 0 || this.textOnly) return { type: 'text' };
    if (this.integer) return { type: this.big ? 'bigint' : 'integer' };
    if (this.scale !== undefined && this.scale > 0) return { type: 'decimal', scale: this.scale };
    if (this.float) return { type: 'float' };
    if (this.boolean) return { type: 'boolean' };
    if (this.date) return { type: 'date' };
    if (this.timestamp) return { type: 'timestamp' };
    if (this.json) return { type: 'json' };
    return { type: 'text' };
  }

  private observeNumberText(text: string): void {
    if (leadingZero.test(text)) {
      // 007 or 01234 is a code (a zip, an account), not a number: its zeros matter.
      this.integer = this.float = false;
      this.scale = -1;
      return;
    }
    const isInt = intPattern.test(text);
    if (this.integer && !isInt) this.integer = false;
    if (this.integer && !this.big && !Number.isSafeInteger(Number(text))) {
      this.big = true;
      const n = BigInt(text);
      if (n > int64Max || n < -int64Max - 1n) this.integer = false;
    }
    if (this.scale !== -1) {
      const fixed = fixedPattern.exec(text);
      // Past 15 significant digits a double would change the value: not a decimal we can keep.
      const fits = fixed && text.replace(/[^\d]/g, '').replace(/^0+/, '').length <= 15;
      const scale = fits ? fixed[1]!.length : -1;
      this.scale = this.scale === undefined || this.scale === scale ? scale : -1;
    }
    if (this.float && !floatPattern.test(text)) this.float = false;
  }
}
