/**
 * Driver values from client/server engines as CellValues and CellDetails. Both pg and mysql2 are
 * configured to hand back 64-bit integers, decimals and dates as the server's own text, so
 * nothing is rounded or shifted by a time zone here; 64-bit integers become exact numbers or
 * `{$bigint}`, decimals stay text (a faithful decimal, not a float approximation).
 */
import type { CellDetail, CellValue, Column, LogicalType } from '../../../shared/model.js';
import { encodeCell, toHex } from '../cells.js';

const maxCellText = 1 << 20;
const maxCellBlob = 64 << 10;
const integerText = /^-?\d+$/;

export function encodeServerCell(value: unknown, type: LogicalType): CellValue {
  if (type === 'bigint' && typeof value === 'string' && integerText.test(value)) {
    return encodeCell(BigInt(value), type);
  }
  return encodeCell(value, type);
}

export function describeServerCell(column: Column, value: unknown): CellDetail {
  const base = { column: column.name, type: column.type };
  if (value === null || value === undefined) {
    return { ...base, text: null, byteLength: 0, truncated: false };
  }
  if (value instanceof Uint8Array) {
    return {
      ...base,
      text: toHex(value.subarray(0, maxCellBlob)),
      byteLength: value.byteLength,
      truncated: value.byteLength > maxCellBlob,
    };
  }
  const text = typeof value === 'string' ? value : textOf(value);
  return {
    ...base,
    text: text.length > maxCellText ? text.slice(0, maxCellText) : text,
    byteLength: Buffer.byteLength(text),
    truncated: text.length > maxCellText,
  };
}

function textOf(value: unknown): string {
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
