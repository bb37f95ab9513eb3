/**
 * A driver's value as a scan hands it on (scan.ts's RowValue): the value `page` shows for the same
 * cell (cells.ts encodeCell, server-cells.ts), but whole — never cut — and as a plain JS value.
 * Drivers are configured to give 64-bit integers, decimals and dates as the server's own text, so
 * decimals and dates stay that text (exact), and a 64-bit integer becomes a number when it is
 * exactly one, else a bigint.
 */
import type { LogicalType } from '../../shared/model.js';
import type { RowValue } from './scan.js';

const integerText = /^-?\d+$/;
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

export function scanValue(value: unknown, type: LogicalType): RowValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      if (type === 'boolean') return value !== 0n;
      return value >= -maxSafe && value <= maxSafe ? Number(value) : value;
    case 'number':
      return type === 'boolean' && (value === 0 || value === 1) ? value === 1 : value;
    case 'boolean':
      return value;
    case 'string':
      return type === 'bigint' && integerText.test(value) ? scanValue(BigInt(value), type) : value;
  }
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
