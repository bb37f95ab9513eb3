/**
 * Redis values are bytes. These helpers show valid UTF-8 as text and anything else as a blob,
 * and infer a column's logical type from sampled values (Redis has no types of its own).
 */
import { isUtf8 } from 'node:buffer';
import type { LogicalType } from '../../../shared/model.js';

/** A cell before encoding: the full value, so the value viewer can show all of it. */
export type RawCell = string | number | boolean | bigint | Uint8Array | null;
export type RawRow = RawCell[];

export function textOrBytes(value: Buffer | null | undefined): string | Buffer | null {
  if (value === null || value === undefined) return null;
  return isUtf8(value) ? value.toString('utf8') : value;
}

const integerText = /^-?(0|[1-9]\d*)$/;
const decimalText = /^-?(0|[1-9]\d*)\.\d+$/;
const floatText = /^[-+]?((0|[1-9]\d*)(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const booleanText = /^(true|false)$/i;
const dateText = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const timestampText =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The narrowest type every sampled value fits. Beyond integer/float/boolean/text it keeps
 * decimals such as `12.50` as exact text (a float would show 12.5, not what is stored) and
 * recognises ISO dates and timestamps, so they sort and filter as the grid expects.
 */
export function inferType(values: Iterable<string | Buffer>): LogicalType {
  const fits = {
    integer: true,
    bigint: true,
    decimal: true,
    float: true,
    boolean: true,
    date: true,
    timestamp: true,
  };
  let seen = 0;
  for (const value of values) {
    if (typeof value !== 'string') return 'text';
    seen++;
    const integer = integerText.test(value);
    const safe = integer && Number.isSafeInteger(Number(value));
    fits.integer &&= safe;
    fits.bigint &&= integer && value.replace('-', '').length <= 19;
    fits.decimal &&= integer || decimalText.test(value);
    fits.float &&= floatText.test(value) && Number.isFinite(Number(value));
    fits.boolean &&= booleanText.test(value);
    fits.date &&= dateText.test(value);
    fits.timestamp &&= timestampText.test(value) || dateText.test(value);
  }
  if (seen === 0) return 'text';
  const order: LogicalType[] = ['integer', 'bigint', 'decimal', 'float', 'boolean', 'date'];
  for (const type of order) if (fits[type as keyof typeof fits]) return type;
  return fits.timestamp ? 'timestamp' : 'text';
}

/**
 * A stored value as its column's type. A value that does not fit (the type came from a sample)
 * stays text rather than being coerced into something it is not.
 */
export function typedValue(value: string | Buffer | null, type: LogicalType): RawCell {
  if (value === null || typeof value !== 'string') return value;
  switch (type) {
    case 'integer':
      return integerText.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'bigint':
      return integerText.test(value) ? BigInt(value) : value;
    case 'float':
      return floatText.test(value) ? Number(value) : value;
    case 'boolean':
      return booleanText.test(value) ? value.toLowerCase() === 'true' : value;
    default:
      return value;
  }
}

/** A sorted-set score as a number; ±inf (which JSON cannot carry) stays as Redis writes it. */
export function scoreValue(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** Escapes glob metacharacters so a literal prefix can be used in SCAN's MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
