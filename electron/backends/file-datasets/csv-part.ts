/**
 * Rows as the CSV Strata writes into a dataset's part files, spelled so that this folder's own
 * reader gives them back: NULL is an empty unquoted field and the empty string a quoted one
 * (ingest/csv-split.ts tells them apart), fields are quoted only when they must be, values are the
 * same text the SQL writers send (shared write-values.ts: one time-zone rule for timestamps,
 * `true`/`false`), and bytes are `\x` and hex, which the reader turns back into bytes for a
 * column the manifest types as blob.
 */
import type { Column } from '../../../shared/model.js';
import { blobBytes, valueText, type TextSpelling } from '../sql/write-values.js';
import type { WriteValue } from '../writer.js';

/** Words the reader's type inference and binding read back as booleans (values.ts). */
export const csvSpelling: TextSpelling = { true: 'true', false: 'false', nonFinite: true };

/** A BOM at the very start of a file is dropped by the reader: a field starting so is quoted. */
const needsQuotes = /[",\r\n]|^\uFEFF/;

export function csvField(text: string): string {
  if (text === '') return '""';
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A non-null value's text in a column of `column`'s type (also a partition folder's value). */
export function cellText(value: Exclude<WriteValue, null>, column: Column): string {
  if (column.type === 'blob' || value instanceof Uint8Array) {
    return `\\x${Buffer.from(blobBytes(value)).toString('hex')}`;
  }
  return valueText(value, column.type, column.name, csvSpelling);
}

export function csvHeader(columns: readonly Column[]): string {
  return `${columns.map((c) => csvField(c.name)).join(',')}\n`;
}

/** The CSV line of the values of `row` at `indexes`, typed by `columns` (aligned to the row). */
export function csvLine(
  row: readonly WriteValue[],
  indexes: readonly number[],
  columns: readonly Column[],
): string {
  let line = '';
  for (let i = 0; i < indexes.length; i++) {
    const at = indexes[i]!;
    const value = row[at]!;
    if (i > 0) line += ',';
    if (value !== null) line += csvField(cellText(value, columns[at]!));
  }
  return `${line}\n`;
}
