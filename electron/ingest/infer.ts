/**
 * A column's type from a sample of its text: the narrowest type every value fits, in this order —
 * boolean (only true/false/t/f/yes/no/0/1, any case, and nothing else), integer (32-bit), big
 * integer (64-bit), decimal (no exponent, every fraction the same number of digits, as money is —
 * that is what "by scale" means here), float, date (ISO `YYYY-MM-DD`, a real calendar day),
 * timestamp (ISO, `T` or space, optional seconds, fraction and zone), JSON (objects and arrays
 * only), else text. Numbers with a leading zero (007, 01234) are codes, kept as text. Empty
 * fields — NULL or '' — say nothing about the type. The whole file confirms the choice later: a
 * value that breaks it is a validation error (values.ts), never a crash.
 */
import type { ColumnStats } from '../../shared/ingest.js';
import type { LogicalType } from '../../shared/model.js';
import { isBooleanText, isDateText, isTimestampText } from './values.js';

const intPattern = /^[+-]?\d+$/;
const leadingZero = /^[+-]?0\d/;
const fixedPattern = /^[+-]?(\d*)\.(\d+)$/;
const floatPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const int32 = 2 ** 31;
const int64 = 2n ** 63n;
/** Decimals past this many digits are read as floats (engines cap DECIMAL at 38 or 65). */
const maxPrecision = 38;
/** Decimal columns get at least this many digits, so later values have room to grow. */
const minPrecision = 18;
const distinctCap = 10_000;

export interface Inferred {
  type: LogicalType;
  precision?: number;
  scale?: number;
}

export class ColumnGuess {
  private boolean = true;
  private int = true;
  private big = false;
  private decimal = true;
  private float = true;
  private date = true;
  private timestamp = true;
  private json = true;
  private scale: number | undefined;
  private intDigits = 0;
  private readonly distinct = new Set<string>();
  readonly stats: ColumnStats = {
    values: 0,
    nulls: 0,
    empty: 0,
    distinct: 0,
    distinctCapped: false,
    minLength: 0,
    maxLength: 0,
    examples: [],
  };

  observe(text: string | null): void {
    const stats = this.stats;
    if (text === null) {
      stats.nulls++;
      return;
    }
    if (text === '') {
      stats.empty++;
      return;
    }
    stats.minLength = stats.values === 0 ? text.length : Math.min(stats.minLength, text.length);
    stats.maxLength = Math.max(stats.maxLength, text.length);
    stats.values++;
    if (this.distinct.size < distinctCap) {
      this.distinct.add(text);
      if (stats.examples.length < 3 && !stats.examples.includes(text)) {
        stats.examples.push(text.length > 200 ? `${text.slice(0, 199)}…` : text);
      }
    } else if (!this.distinct.has(text)) stats.distinctCapped = true;
    stats.distinct = this.distinct.size;
    if (this.boolean && !isBooleanText(text)) this.boolean = false;
    if (this.int || this.decimal || this.float) this.observeNumber(text);
    if (this.date && !isDateText(text)) this.date = false;
    if (this.timestamp && !isDateText(text) && !isTimestampText(text)) this.timestamp = false;
    if (this.json && !isJsonContainer(text)) this.json = false;
  }

  result(): Inferred {
    if (this.stats.values === 0) return { type: 'text' };
    if (this.boolean) return { type: 'boolean' };
    if (this.int) return { type: this.big ? 'bigint' : 'integer' };
    if (this.decimal) {
      // Integers past 64 bits land here too, as decimal(p, 0).
      const scale = this.scale ?? 0;
      const precision = Math.min(maxPrecision, Math.max(minPrecision, this.intDigits + scale));
      return { type: 'decimal', precision, scale };
    }
    if (this.float) return { type: 'float' };
    if (this.date) return { type: 'date' };
    if (this.timestamp) return { type: 'timestamp' };
    if (this.json) return { type: 'json' };
    return { type: 'text' };
  }

  private observeNumber(text: string): void {
    if (leadingZero.test(text)) {
      // 007 or 01234 is a code (a zip, an account), not a number: its zeros matter.
      this.int = this.decimal = this.float = false;
      return;
    }
    if (intPattern.test(text)) {
      this.noteDigits(text.replace(/^[+-]/, '').length, 0);
      if (this.int) {
        const n = text.length <= 15 ? Number(text) : Number.NaN;
        if (Number.isNaN(n) || n < -int32 || n >= int32) {
          this.big = true;
          const b = BigInt(text);
          if (b < -int64 || b >= int64) this.int = false;
        }
      }
      return;
    }
    this.int = false;
    const fixed = fixedPattern.exec(text);
    if (fixed) this.noteDigits(fixed[1]!.length, fixed[2]!.length);
    else this.decimal = false;
    if (this.float && !floatPattern.test(text)) this.float = false;
  }

  private noteDigits(intDigits: number, scale: number): void {
    if (!this.decimal) return;
    this.intDigits = Math.max(this.intDigits, intDigits);
    // Integers fit any scale; fractions must agree on theirs.
    if (scale > 0) {
      if (this.scale === undefined || this.scale === scale) this.scale = scale;
      else this.decimal = false;
    }
    if (this.intDigits + (this.scale ?? 0) > maxPrecision) this.decimal = false;
  }
}

function isJsonContainer(text: string): boolean {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Header names made usable as columns: blanks named by position, duplicates numbered. */
export function columnNames(raw: ReadonlyArray<string | null>): string[] {
  const seen = new Set<string>();
  return raw.map((name, i) => {
    const base = name?.trim() || `column_${i + 1}`;
    let candidate = base;
    // Most engines compare column names without case.
    for (let n = 2; seen.has(candidate.toLowerCase()); n++) candidate = `${base}_${n}`;
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}
