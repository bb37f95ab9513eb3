/**
 * Driver values from client/server engines as CellValues and CellDetails. Both pg and mysql2 are
 * configured to hand back 64-bit integers, decimals and dates as the server's own text, so
 * nothing is rounded or shifted by a time zone here; 64-bit integers become exact numbers or
 * `{$bigint}`, decimals stay text (a faithful decimal, not a float approximation).
 */
import type { CellValue, LogicalType } from '../../../shared/model.js';
import { encodeCell } from '../cells.js';

const integerText = /^-?\d+$/;

export function encodeServerCell(value: unknown, type: LogicalType): CellValue {
  if (type === 'bigint' && typeof value === 'string' && integerText.test(value)) {
    return encodeCell(BigInt(value), type);
  }
  return encodeCell(value, type);
}
