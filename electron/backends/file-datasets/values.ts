/**
 * One conversion from a file's value (CSV text, a JSON value, a Parquet value) to the column's
 * type, shared by the streamed pages and the cache, so a row reads the same either way. A value
 * that does not fit its column stays as text: shown as it is written, never an error.
 */
import type { CellValue, Column } from '../../../shared/model.js';
import { encodeCell } from '../cells.js';

export interface DataColumn extends Column {
  /** Decimals shown for a decimal column (the cache holds it as a double). */
  scale?: number;
}

export type Bindable = string | number | bigint | Buffer | null;

const intPattern = /^[+-]?\d+$/;
const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const hexBlob = /^\\x(?:[0-9a-fA-F]{2})*$/;
const int64Min = -9223372036854775808n;
const int64Max = 9223372036854775807n;

/** The value as the cache stores it (and as a streamed page shows it). */
export function bindValue(value: unknown, column: DataColumn): Bindable {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'integer':
    case 'bigint':
      if (typeof value === 'string' && intPattern.test(value)) {
        // Up to 15 digits a double is exact, and far cheaper to make than a BigInt.
        if (value.length <= 15) return Number(value);
        const n = BigInt(value);
        return n >= int64Min && n <= int64Max ? n : value;
      }
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'bigint') return value;
      break;
    case 'decimal':
      // Parquet decimals arrive as doubles off by an ulp (3.0100000000000002): round to the
      // column's scale so that equality filters on the written value match.
      if (typeof value === 'number' && column.scale !== undefined) {
        return Number(value.toFixed(column.scale));
      }
      return asNumber(value);
    case 'float':
      return asNumber(value);
    case 'boolean':
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string') {
        const lower = value.toLowerCase();
        if (lower === 'true' || lower === 't') return 1;
        if (lower === 'false' || lower === 'f') return 0;
      }
      break;
    case 'date':
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      break;
    case 'timestamp':
      if (value instanceof Date) return value.toISOString();
      break;
    case 'blob':
      if (value instanceof Uint8Array)
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      // Strata writes bytes into CSV as `\x` and hex (PostgreSQL's spelling; csv-part.ts).
      if (typeof value === 'string' && hexBlob.test(value))
        return Buffer.from(value.slice(2), 'hex');
      break;
  }
  return asText(value);
}

/** A cell for a page: the bound value encoded like every engine's cells. */
export function cellOf(value: unknown, column: DataColumn): CellValue {
  return outputCell(bindValue(value, column), column);
}

/** A value read back from the cache (or just bound) as a page cell. */
export function outputCell(value: unknown, column: DataColumn): CellValue {
  const cell = encodeCell(value, column.type);
  // Decimals live as doubles in the cache; shown with the file's decimals, "12.50" stays "12.50".
  if (column.type === 'decimal' && typeof cell === 'number' && column.scale !== undefined) {
    return cell.toFixed(column.scale);
  }
  return cell;
}

function asNumber(value: unknown): Bindable {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && numberPattern.test(value)) return Number(value);
  if (typeof value === 'bigint') return Number(value);
  return asText(value);
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}
