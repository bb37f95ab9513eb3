/**
 * When two cells are the same value, across stores. Drivers give one value different JS types
 * (5 from SQLite, 5n from a bigint column, "5.00" from a PostgreSQL numeric), so cells are
 * compared by meaning, per column, in one of three modes:
 *
 * - `exact`: the same value in the one total order (`compareRowValues`: 5 and 5n are equal).
 * - `numeric` (both sides numeric, or a side of unknown type): as above, else as numbers when
 *   both read as numbers (booleans as 1/0, numeric text by its value), within the tolerance.
 * - `coerced` (the column was retyped, e.g. integer → text): as `numeric`, else by text form
 *   (numbers in shortest decimal form, booleans true/false, bytes as hex). So a column that went
 *   from integer to text with the same values reports one schema change, not a changed row each.
 */
import type { LogicalType } from '../../shared/model.js';
import type { DiffTolerance } from '../../shared/diff.js';
import { compareRowValues, type RowValue } from '../backends/scan.js';

export type CompareMode = 'exact' | 'numeric' | 'coerced';

const families: Record<LogicalType, string> = {
  integer: 'integer',
  bigint: 'integer',
  decimal: 'number',
  float: 'number',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  text: 'text',
  json: 'json',
  blob: 'blob',
  unknown: 'unknown',
};

const numericTypes = new Set<LogicalType>(['integer', 'bigint', 'decimal', 'float']);

/**
 * Integer and bigint (a 32- or 64-bit store column), decimal and float (how a store happens to
 * hold fractions) are one family; `unknown` (SQLite's untyped columns) fits any.
 */
export function sameTypeFamily(a: LogicalType, b: LogicalType): boolean {
  return a === 'unknown' || b === 'unknown' || families[a] === families[b];
}

export function compareModeFor(a: LogicalType, b: LogicalType): CompareMode {
  if (!sameTypeFamily(a, b)) return 'coerced';
  if (numericTypes.has(a) || numericTypes.has(b) || a === 'unknown' || b === 'unknown') {
    return 'numeric';
  }
  return 'exact';
}

export function describeCoercion(a: LogicalType, b: LogicalType): string {
  if (numericTypes.has(a) && numericTypes.has(b)) return 'compared as numbers';
  return 'compared by value: as numbers where both read as numbers, else as text';
}

const numericText = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const integerText = /^\s*[+-]?\d+\s*$/;

/** A cell as a number (or an exact bigint for integers past 2^53), if it reads as one. */
export function asNumber(value: RowValue): number | bigint | undefined {
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'string': {
      if (!numericText.test(value)) return undefined;
      if (integerText.test(value)) {
        const big = BigInt(value.trim());
        return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
      }
      return Number(value);
    }
    default:
      return undefined;
  }
}

export function textForm(value: RowValue): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return String(value);
}

function withinTolerance(
  a: number | bigint,
  b: number | bigint,
  tolerance?: DiffTolerance,
): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = typeof a === 'bigint' ? a : Number.isInteger(a) ? BigInt(a) : undefined;
    const y = typeof b === 'bigint' ? b : Number.isInteger(b) ? BigInt(b) : undefined;
    if (x !== undefined && y !== undefined && x === y) return true;
    if (!tolerance) return false;
  }
  const x = Number(a);
  const y = Number(b);
  if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return true;
  if (!tolerance) return false;
  const distance = Math.abs(x - y);
  if (tolerance.absolute !== undefined && distance <= tolerance.absolute) return true;
  if (tolerance.relative !== undefined) {
    return distance <= tolerance.relative * Math.max(Math.abs(x), Math.abs(y));
  }
  return false;
}

export function sameCell(
  a: RowValue,
  b: RowValue,
  mode: CompareMode,
  tolerance?: DiffTolerance,
): boolean {
  if (a === null || b === null) return a === b;
  if (compareRowValues(a, b) === 0) return true;
  // A boolean is 1/0 in stores without one (SQLite, MariaDB's TINYINT(1)).
  if (typeof a === 'boolean' && typeof b === 'number') return b === (a ? 1 : 0);
  if (typeof b === 'boolean' && typeof a === 'number') return a === (b ? 1 : 0);
  if (mode === 'exact') return false;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return withinTolerance(x, y, tolerance);
  if (mode === 'numeric') return false;
  return textForm(a) === textForm(b);
}

/**
 * A key cell in the form both sides' keys are ordered and matched by, when a key column's type
 * differs between the sides (integer on one, text on the other): numeric text becomes its number.
 */
export function coerceKeyCell(value: RowValue): RowValue {
  if (typeof value === 'string') return asNumber(value) ?? value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
