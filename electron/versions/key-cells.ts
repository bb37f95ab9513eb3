/** Key values as JSON-safe cells for a manifest's key ranges (the grid's CellValue encoding). */
import type { CellValue } from '../../shared/model.js';
import type { RowValue } from './canonical.js';

const maxKeyText = 200;

/** Long text and blobs are kept short: a key range is for reading and narrowing, not restoring. */
export function keyCells(values: readonly RowValue[]): CellValue[] {
  return values.map((value) => {
    if (typeof value === 'bigint') {
      return Number.isSafeInteger(Number(value)) ? Number(value) : { $bigint: value.toString() };
    }
    if (value instanceof Uint8Array) {
      return { $blob: value.byteLength, head: Buffer.from(value.subarray(0, 24)).toString('hex') };
    }
    if (typeof value === 'string' && value.length > maxKeyText) {
      return { $text: value.slice(0, maxKeyText), length: value.length };
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  });
}
