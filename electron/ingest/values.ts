/**
 * CSV text → the typed values writers take (`WriteValue`). One converter per column, chosen once,
 * so the per-cell work is a regular expression and a constructor at most.
 *
 * Empty fields: an unquoted empty field is NULL; a quoted one (`""`) is the empty string in text
 * columns, and NULL in every other type (an empty number is no number; many writers quote
 * every field). What each type becomes:
 * - integer, bigint: a JS number when it is exact (|n| < 2^53), a bigint past that;
 * - decimal: its text, canonical (no `+`, no leading zeros, `.5` → `0.5`) — exact, unlike a double;
 * - float: a number; boolean: a boolean; blob: bytes from hex (`\x…` or `0x…` or bare);
 * - date: `YYYY-MM-DD`; timestamp: ISO `YYYY-MM-DDTHH:MM:SS[.f][zone]` (a space becomes `T`,
 *   missing seconds `:00`, a zone `+hhmm`/`+hh` becomes `+hh:mm`; a bare date is midnight);
 * - text, json (validated, kept as written), unknown: the text.
 * A value that does not fit is `invalid`, which the caller turns into a violation with its line.
 */
import type { LogicalType } from '../../shared/model.js';
import type { WriteValue } from '../backends/writer.js';

export const invalid: unique symbol = Symbol('invalid');
export type Converted = WriteValue | typeof invalid;

export interface TypeSpec {
  type: LogicalType;
  precision?: number;
  scale?: number;
  /** Integer columns only: 32 when the column is created as a 32-bit integer. */
  bits?: 32 | 64;
}

const fixedPattern = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const floatPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const hexPattern = /^(?:\\x|0x)?((?:[0-9a-fA-F]{2})*)$/;
const booleanValues = new Map<string, boolean>([
  ['true', true],
  ['t', true],
  ['yes', true],
  ['1', true],
  ['false', false],
  ['f', false],
  ['no', false],
  ['0', false],
]);
/** Days in each month of a common year (a table, not an array made per date checked). */
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

export function isBooleanText(text: string): boolean {
  return booleanValues.has(text.toLowerCase());
}

/** `YYYY-MM-DD`, a real day. */
export function isDateText(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  return digitsAt(text, 0, 4) && digitsAt(text, 5, 7) && digitsAt(text, 8, 10) && validDay(text);
}

/** A timestamp with a time part (a bare date is a date). */
export function isTimestampText(text: string): boolean {
  return text.length > 10 && toTimestamp(text) !== invalid;
}

/** The converter for a column's type; `text` is never empty (the caller handles empties). */
export function converterFor(spec: TypeSpec): (text: string) => Converted {
  switch (spec.type) {
    case 'integer':
    case 'bigint':
      return spec.type === 'integer' && spec.bits === 32 ? toInt32 : toInt64;
    case 'decimal':
      return (text) => toDecimal(text, spec.precision, spec.scale);
    case 'float':
      return (text) => (floatPattern.test(text) ? Number(text) : invalid);
    case 'boolean':
      return toBoolean;
    case 'date':
      return (text) => (isDateText(text) ? text : invalid);
    case 'timestamp':
      return toTimestamp;
    case 'json':
      return toJson;
    case 'blob':
      return toBytes;
    case 'text':
    case 'unknown':
      return (text) => text;
  }
}

/** What a value of the type looks like, for messages: "not an integer". */
export function typeDescription(spec: TypeSpec): string {
  switch (spec.type) {
    case 'integer':
      return spec.bits === 32 ? 'a 32-bit integer' : 'an integer';
    case 'bigint':
      return 'a 64-bit integer';
    case 'decimal':
      return spec.precision !== undefined
        ? `a decimal with at most ${spec.precision - (spec.scale ?? 0)} digits before the point and ${spec.scale ?? 0} after`
        : 'a decimal number';
    case 'float':
      return 'a number';
    case 'boolean':
      return 'a boolean (true/false/t/f/yes/no/1/0)';
    case 'date':
      return 'a date (YYYY-MM-DD)';
    case 'timestamp':
      return 'a timestamp (YYYY-MM-DD HH:MM[:SS][zone])';
    case 'json':
      return 'JSON';
    case 'blob':
      return 'hex bytes';
    case 'text':
    case 'unknown':
      return 'text';
  }
}

/** Whether an empty quoted field is the empty string ('') rather than NULL in this type. */
export function keepsEmptyText(type: LogicalType): boolean {
  return type === 'text' || type === 'unknown';
}

// The converters below check their text by hand rather than with a regular expression: they run
// for every cell of a load, and a loop over the characters measured ~3× faster than the RegExp
// (test/bench/ingest.bench.ts spends a tenth of the ingest worker's time converting).

function toBoolean(text: string): Converted {
  // The usual spellings by comparison (a Map lookup hashes every new string it is given).
  switch (text) {
    case 'true':
    case 'TRUE':
    case 'True':
    case 't':
    case '1':
      return true;
    case 'false':
    case 'FALSE':
    case 'False':
    case 'f':
    case '0':
      return false;
  }
  return booleanValues.get(text.toLowerCase()) ?? invalid;
}

function toInt32(text: string): Converted {
  if (text.length > 12) return invalid;
  const n = smallInteger(text);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : invalid;
}

function toInt64(text: string): Converted {
  // Up to 15 characters a double is exact, and far cheaper to make than a BigInt.
  if (text.length <= 15) {
    const n = smallInteger(text);
    return Number.isNaN(n) ? invalid : n;
  }
  if (!isIntegerText(text)) return invalid;
  const b = BigInt(text);
  if (b < int64Min || b > int64Max) return invalid;
  return b >= -BigInt(Number.MAX_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(b)
    : b;
}

function toDecimal(text: string, precision?: number, scale?: number): Converted {
  if (isCanonicalDecimal(text)) {
    // Already canonical (the common case): only its digits need counting, nothing is built.
    const point = text.indexOf('.');
    const sign = text.charCodeAt(0) === 45 ? 1 : 0;
    let whole = (point < 0 ? text.length : point) - sign;
    // A lone 0 before the point is no digit of precision (0.5 fits decimal(1,1)).
    if (whole === 1 && text.charCodeAt(sign) === 48) whole = 0;
    const fraction = point < 0 ? 0 : text.length - point - 1;
    if (scale !== undefined && fraction > scale) return invalid;
    if (precision !== undefined && whole > precision - (scale ?? 0)) return invalid;
    return text;
  }
  const m = fixedPattern.exec(text);
  if (!m) return invalid;
  const sign = m[1] === '-' ? '-' : '';
  const whole = m[2]!.replace(/^0+(?=\d)/, '');
  const fraction = m[3] ?? '';
  if (whole === '' && fraction === '') return invalid;
  if (scale !== undefined && fraction.length > scale) return invalid;
  if (precision !== undefined && whole.replace(/^0$/, '').length > precision - (scale ?? 0)) {
    return invalid;
  }
  return `${sign}${whole || '0'}${fraction ? `.${fraction}` : ''}`;
}

function toTimestamp(text: string): Converted {
  const m = timestampPattern.exec(text);
  if (!m || !validDay(text)) return invalid;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = ''] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return invalid;
  let z = zone;
  if (z.length === 3) z = `${z}:00`;
  else if (z.length === 5) z = `${z.slice(0, 3)}:${z.slice(3)}`;
  if (z.length === 6 && (Number(z.slice(1, 3)) > 14 || Number(z.slice(4)) > 59)) return invalid;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${z}`;
}

function toJson(text: string): Converted {
  try {
    JSON.parse(text);
    return text;
  } catch {
    return invalid;
  }
}

function toBytes(text: string): Converted {
  const m = hexPattern.exec(text);
  return m ? new Uint8Array(Buffer.from(m[1]!, 'hex')) : invalid;
}

/** Whether `YYYY-MM-DD` at the start of `text` (already matched by a pattern) is a real day. */
function validDay(text: string): boolean {
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 7);
  const d = digits(text, 8, 10);
  if (m < 1 || m > 12 || d < 1) return false;
  if (d <= 28) return true;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : daysInMonth[m - 1]!);
}

/** Whether text[from, to) is ASCII digits only. */
function digitsAt(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether the text is an integer as written: `[+-]?\d+`. */
function isIntegerText(text: string): boolean {
  const sign = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? 1 : 0;
  return text.length > sign && digitsAt(text, sign, text.length);
}

/**
 * The value of `[+-]?\d+` text of at most 15 characters (exact in a double; `-0` is -0, as
 * Number('-0') is), or NaN for any other text.
 */
function smallInteger(text: string): number {
  const n = text.length;
  const first = text.charCodeAt(0);
  const sign = first === 43 || first === 45 ? 1 : 0;
  if (n === sign) return NaN;
  let value = 0;
  for (let k = sign; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return NaN;
    value = value * 10 + (c - 48);
  }
  return first === 45 ? -value : value;
}

/** Whether the decimal is written canonically: `-?(0|[1-9]\d*)(\.\d+)?`. */
function isCanonicalDecimal(text: string): boolean {
  const n = text.length;
  let k = text.charCodeAt(0) === 45 ? 1 : 0;
  const lead = text.charCodeAt(k);
  if (lead === 48) k++;
  else if (lead > 48 && lead <= 57) {
    k++;
    while (k < n && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
  } else return false;
  if (k === n) return true;
  if (text.charCodeAt(k) !== 46 || k + 1 === n) return false;
  return digitsAt(text, k + 1, n);
}

/** The number written by the ASCII digits text[from, to), without making a substring. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) n = n * 10 + text.charCodeAt(k) - 48;
  return n;
}
