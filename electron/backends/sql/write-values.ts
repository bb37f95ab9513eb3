/**
 * Values on their way into a SQL store, shared by the engines' encoders: the text a store parses
 * for a typed value, with one rule for time zones, and the checks that name the column when a
 * value cannot be written. Hot path: each function does the cheap test first.
 */
import { AppError } from '../../../shared/errors.js';
import type { LogicalType } from '../../../shared/model.js';
import type { WriteValue } from '../writer.js';

/** How an engine spells what differs between engines in a value's text. */
export interface TextSpelling {
  true: string;
  false: string;
  /** Whether NaN and ±Infinity can be stored (PostgreSQL yes, MariaDB no). */
  nonFinite: boolean;
}

const numericTypes = new Set<LogicalType>(['integer', 'bigint', 'decimal', 'float']);
const offsetPattern = /(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/;
const timestampPattern =
  /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?)?\s*([zZ]|[+-]\d\d(?::?\d\d)?)?$/;

/**
 * A timestamp for a column without a time zone. Text without an offset is kept as written (with
 * `T` read as a space); text with one (`Z`, `+02:00`) becomes the same instant in UTC, because a
 * zone-less column would otherwise drop the offset silently (PostgreSQL) or refuse the value
 * (MariaDB). A number is milliseconds since 1970, in UTC.
 */
export function naiveTimestamp(value: string | number, column: string): string {
  if (typeof value === 'number') return isoFromMillis(value, column);
  if (value.length < 11) return value;
  if (!offsetPattern.test(value) || value.length < 17) {
    return value.charCodeAt(10) === 84 /* T */ ? `${value.slice(0, 10)} ${value.slice(11)}` : value;
  }
  const m = timestampPattern.exec(value);
  if (!m) return value; // let the store reject it with its own message
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = m;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const sign = digits[0] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0'));
  }
  const utc =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) -
    offsetMinutes * 60_000;
  return `${isoFromMillis(utc, column).slice(0, 19)}${fraction}`;
}

function isoFromMillis(millis: number, column: string): string {
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) throw badValue(column, String(millis), 'is not a timestamp');
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$|Z$/, '');
}

/**
 * The text a store parses for a non-null, non-blob value of a column of `type`. Strings pass
 * through (the pipeline already checked them); numbers, bigints and booleans are spelled out.
 */
export function valueText(
  value: Exclude<WriteValue, null | Uint8Array>,
  type: LogicalType,
  column: string,
  spelling: TextSpelling,
): string {
  switch (typeof value) {
    case 'string':
      if (type === 'timestamp') return naiveTimestamp(value, column);
      return type === 'boolean' ? booleanText(value, spelling) : value;
    case 'boolean':
      if (type === 'boolean') return value ? spelling.true : spelling.false;
      return numericTypes.has(type) ? (value ? '1' : '0') : String(value);
    case 'bigint':
      return value.toString();
    case 'number':
      if (type === 'boolean') return value !== 0 ? spelling.true : spelling.false;
      if (type === 'timestamp') return naiveTimestamp(value, column);
      if (type === 'date') return isoFromMillis(value, column).slice(0, 10);
      if (!Number.isFinite(value) && !spelling.nonFinite) {
        throw badValue(column, String(value), 'cannot be stored here (no NaN or infinity)');
      }
      return Number.isFinite(value)
        ? String(value)
        : value > 0
          ? 'Infinity'
          : value < 0
            ? '-Infinity'
            : 'NaN';
  }
}

const trueWords = new Set(['true', 't', 'yes', 'y', '1']);
const falseWords = new Set(['false', 'f', 'no', 'n', '0']);

/** Booleans given as words are spelled the engine's way; anything else is left for it to judge. */
function booleanText(value: string, spelling: TextSpelling): string {
  const lower = value.toLowerCase();
  if (trueWords.has(lower)) return spelling.true;
  if (falseWords.has(lower)) return spelling.false;
  return value;
}

/** A blob column's value as bytes; text given for a blob is its UTF-8. */
export function blobBytes(value: Exclude<WriteValue, null>): Uint8Array {
  if (value instanceof Uint8Array) return value;
  return Buffer.from(typeof value === 'string' ? value : String(value), 'utf8');
}

export function badValue(column: string, value: string, why: string): AppError {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return new AppError('invalid-input', `Column “${column}”: “${shown}” ${why}`);
}

/** Rows must match the target's columns exactly; checked per batch, never per value. */
export function checkRowWidth(rows: readonly WriteValue[][], width: number): void {
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.length !== width) {
      throw new AppError(
        'invalid-input',
        `A row has ${rows[i]!.length} values where ${width} columns are being written`,
      );
    }
  }
}
