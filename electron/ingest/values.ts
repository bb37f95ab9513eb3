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

const intPattern = /^[+-]?\d+$/;
const canonicalDecimal = /^-?(0|[1-9]\d*)(\.\d+)?$/;
const fixedPattern = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const floatPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
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
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

export function isBooleanText(text: string): boolean {
  return booleanValues.has(text.toLowerCase());
}

export function isDateText(text: string): boolean {
  return datePattern.test(text) && validDay(text);
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
      return (text) => booleanValues.get(text) ?? booleanValues.get(text.toLowerCase()) ?? invalid;
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

function toInt32(text: string): Converted {
  if (!intPattern.test(text) || text.length > 12) return invalid;
  const n = Number(text);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : invalid;
}

function toInt64(text: string): Converted {
  if (!intPattern.test(text)) return invalid;
  // Up to 15 digits a double is exact, and far cheaper to make than a BigInt.
  if (text.length <= 15) return Number(text);
  const b = BigInt(text);
  if (b < int64Min || b > int64Max) return invalid;
  return b >= -BigInt(Number.MAX_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(b)
    : b;
}

function toDecimal(text: string, precision?: number, scale?: number): Converted {
  if (canonicalDecimal.test(text)) {
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
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/** The number written by the ASCII digits text[from, to), without making a substring. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) n = n * 10 + text.charCodeAt(k) - 48;
  return n;
}
