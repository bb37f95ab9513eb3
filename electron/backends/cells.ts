/** Encodes driver values as CellValues: faithful, JSON-safe and bounded in size. */
import type { CellValue, LogicalType } from '../../shared/model.js';

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
