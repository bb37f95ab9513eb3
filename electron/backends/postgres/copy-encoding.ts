/**
 * Rows as COPY's text format (tab-separated, `\N` for NULL, backslash escapes): measured faster
 * for the server to parse than CSV, and unambiguous about NULL versus the empty string. bytea
 * goes as `\\x` + hex (the escaped backslash of bytea's hex input), booleans as t/f, bigints and
 * numbers as their digits; NaN and ±Infinity are spelled the way PostgreSQL reads them.
 */
import type { Column } from '../../../shared/model.js';
import type { WriteValue } from '../writer.js';
import { badValue, blobBytes, valueText, type TextSpelling } from '../sql/write-values.js';
import { TabRowEncoder } from '../sql/tab-text-bytes.js';
import { declaredWithZone } from '../sql/write-target.js';

const spelling: TextSpelling = { true: 't', false: 'f', nonFinite: true };

/**
 * How each column's values are turned into text, decided once per write, not per value: `plain`
 * strings go as they are (escaped): text, json, dates, decimals, zoned timestamps; `naive`
 * timestamps have offsets resolved to UTC (write-values.ts).
 */
type Kind = 'plain' | 'naive' | 'boolean' | 'blob';

export interface CopyColumn {
  name: string;
  column: Column;
  kind: Kind;
  /** Integer, bigint, decimal or float: a finite number is written as its digits. */
  numeric: boolean;
}

export function copyColumns(columns: readonly Column[]): CopyColumn[] {
  return columns.map((column) => {
    let kind: Kind = 'plain';
    if (column.type === 'blob') kind = 'blob';
    else if (column.type === 'boolean') kind = 'boolean';
    else if (column.type === 'timestamp' && !declaredWithZone(column.nativeType)) {
      kind = 'naive';
    }
    const numeric = ['integer', 'bigint', 'decimal', 'float'].includes(column.type);
    return { name: column.name, column, kind, numeric };
  });
}

/** PostgreSQL text cannot hold NUL: it is refused, naming the column. */
function refuseNul(text: string, column: string): never {
  throw badValue(column, text, 'contains a NUL character, which PostgreSQL text cannot hold');
}

/** A value's text for COPY, before escaping (TabTextBytes escapes it as it writes it). */
function spellValue(value: Exclude<WriteValue, null>, c: CopyColumn): string {
  // bytea's hex input, `\x…`: its backslash is escaped like any other.
  if (c.kind === 'blob') return `\\x${Buffer.from(blobBytes(value)).toString('hex')}`;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'number' && c.kind === 'plain' && c.column.type === 'timestamp') {
    return new Date(value).toISOString(); // a zoned column: the instant, in UTC
  }
  return valueText(value, c.column.type, c.name, spelling);
}

/** An encoder of rows into COPY text for these columns. */
export function copyEncoder(columns: readonly CopyColumn[]): TabRowEncoder {
  return new TabRowEncoder(
    columns.map((c) => ({
      name: c.name,
      text: c.kind === 'plain',
      numeric: c.numeric,
      booleans: c.kind === 'boolean' ? spelling : undefined,
      spell: (value) => spellValue(value, c),
    })),
    refuseNul,
  );
}

/** The rows as one COPY text chunk, one line per row. */
export function encodeCopyRows(
  rows: readonly WriteValue[][],
  columns: readonly CopyColumn[],
): Buffer {
  const encoder = copyEncoder(columns);
  for (const row of rows) encoder.add(row);
  return encoder.take();
}
