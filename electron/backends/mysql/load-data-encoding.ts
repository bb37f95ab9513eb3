/**
 * Rows in the text format `LOAD DATA` reads by default: fields separated by tabs, rows by
 * newlines, `\N` for NULL, and backslash escapes for backslash, tab, newline, carriage return
 * and NUL. Blobs travel as hex and are turned back into bytes by `UNHEX()` in the statement, so
 * no byte of binary data is ever read as text in the connection's character set.
 */
import type { Column } from '../../../shared/model.js';
import type { WriteValue } from '../writer.js';
import { TabRowEncoder } from '../sql/tab-text-bytes.js';
import { blobBytes, valueText, type TextSpelling } from '../sql/write-values.js';

const spelling: TextSpelling = { true: '1', false: '0', nonFinite: false };

export interface LoadColumn {
  name: string;
  column: Column;
  /** Strings go as they are (escaped) unless the column needs them converted. */
  plainStrings: boolean;
  numeric: boolean;
  blob: boolean;
}

export function loadColumns(columns: readonly Column[]): LoadColumn[] {
  return columns.map((column) => ({
    name: column.name,
    column,
    plainStrings: !['timestamp', 'boolean', 'blob'].includes(column.type),
    numeric: ['integer', 'bigint', 'decimal', 'float'].includes(column.type),
    blob: column.type === 'blob',
  }));
}

/** A value's text for LOAD DATA, before escaping (TabTextBytes escapes it as it writes it). */
function spellValue(value: Exclude<WriteValue, null>, c: LoadColumn): string {
  if (c.blob) return Buffer.from(blobBytes(value)).toString('hex');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return valueText(value, c.column.type, c.name, spelling);
}

/** An encoder of rows into the LOAD DATA text for these columns. */
export function loadEncoder(columns: readonly LoadColumn[]): TabRowEncoder {
  return new TabRowEncoder(
    columns.map((c) => ({
      name: c.name,
      text: c.plainStrings,
      numeric: c.numeric,
      booleans: c.column.type === 'boolean' ? spelling : undefined,
      spell: (value) => spellValue(value, c),
    })),
    () => '\\0',
  );
}

/** The rows as one chunk of a LOAD DATA stream, one line per row. */
export function encodeLoadRows(
  rows: readonly WriteValue[][],
  columns: readonly LoadColumn[],
): Buffer {
  const encoder = loadEncoder(columns);
  for (const row of rows) encoder.add(row);
  return encoder.take();
}

/** The column list of the LOAD DATA statement: blobs through a variable and UNHEX(). */
export function loadColumnList(
  columns: readonly LoadColumn[],
  quote: (name: string) => string,
): string {
  const list = columns.map((c, i) => (c.blob ? `@b${i}` : quote(c.name))).join(', ');
  const sets = columns
    .map((c, i) => (c.blob ? `${quote(c.name)} = UNHEX(@b${i})` : undefined))
    .filter((s) => s !== undefined);
  return `(${list})${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`;
}
