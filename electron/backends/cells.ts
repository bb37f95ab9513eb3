/** Encodes driver values as CellValues: faithful, JSON-safe and bounded in size. */
import type { CellDetail, CellValue, Column, LogicalType } from '../../shared/model.js';

/** Text longer than this travels truncated in a page; the value viewer fetches the rest. */
export const maxInlineText = 1_000;
const blobHeadBytes = 24;

export function encodeCell(value: unknown, type: LogicalType): CellValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      if (type === 'boolean') return value !== 0n;
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : { $bigint: value.toString() };
    case 'number':
      return type === 'boolean' && (value === 0 || value === 1) ? value === 1 : value;
    case 'boolean':
      return value;
    case 'string':
      return value.length > maxInlineText
        ? { $text: value.slice(0, maxInlineText), length: value.length }
        : value;
  }
  if (value instanceof Uint8Array) {
    return { $blob: value.byteLength, head: toHex(value.subarray(0, blobHeadBytes)) };
  }
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const maxCellText = 1 << 20;
const maxCellBlob = 64 << 10;

/** A cell's full value for the value viewer: text up to 1 MiB, blobs as hex up to 64 KiB. */
export function describeCell(column: Column, value: unknown): CellDetail {
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
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return {
    ...base,
    text: text.length > maxCellText ? text.slice(0, maxCellText) : text,
    byteLength: Buffer.byteLength(text),
    truncated: text.length > maxCellText,
  };
}
