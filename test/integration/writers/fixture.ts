/**
 * Rows that exercise every logical type at its edges (NULL next to '', unicode, separators and
 * backslashes in text, 64-bit integers, long decimals, empty and binary blobs, timestamps with
 * and without offsets), and the one comparison that says whether a store gave them back: both
 * sides are put in a canonical text form per type, allowing only for what the store documents
 * (SQLite keeps 15 significant digits of a decimal; JSON may come back re-serialised).
 */
import type { CellValue, Column, DatasetPath, LogicalType } from '../../../shared/model.js';
import type { WriteTarget, WriteValue } from '../../../electron/backends/writer.js';
import { naiveTimestamp } from '../../../electron/backends/sql/write-values.js';
import type { StoreKind } from './stores.js';

export const col = (name: string, type: LogicalType, nullable = true, nativeType = ''): Column => ({
  name,
  type,
  nativeType,
  nullable,
});

export const allTypes: Column[] = [
  col('id', 'integer', false),
  col('big', 'bigint'),
  col('amount', 'decimal'),
  col('ratio', 'float'),
  col('flag', 'boolean'),
  col('day', 'date'),
  col('at', 'timestamp'),
  col('name', 'text'),
  col('doc', 'json'),
  col('raw', 'blob'),
];

const bytes = (...values: number[]) => new Uint8Array(values);
const allBytes = new Uint8Array(256).map((_, i) => i);

export const allTypeRows: WriteValue[][] = [
  [
    1,
    9007199254740993n,
    '12345678901234567890.0123456789',
    0.1,
    true,
    '2024-02-29',
    '2024-03-10 02:30:00',
    'plain',
    '{"a":[1,2],"b":null}',
    bytes(0xde, 0xad, 0xbe, 0xef),
  ],
  [2, null, null, null, null, null, null, null, null, null],
  [
    3,
    -9223372036854775808n,
    '-0.5',
    -1e300,
    false,
    '1900-01-01',
    '2024-03-10T02:30:00.123456',
    '',
    '[]',
    new Uint8Array(0),
  ],
  [
    4,
    9223372036854775807n,
    '0',
    1.5,
    true,
    '9999-12-31',
    '2024-03-10T02:30:00+02:00',
    'tab\there\nnew line\r\\back\\slash \\N "quoted", commas',
    '"text"',
    allBytes,
  ],
  [
    5,
    42,
    12.5,
    3,
    false,
    '2000-01-01',
    '1970-01-01 00:00:00',
    'ünïcödé 日本語 😀 עברית',
    '{"emoji":"😀","n":1.5}',
    bytes(0x4e, 0x55, 0x4c, 0x4c, 0x00, 0x5c),
  ],
];

/** A value in canonical text, the same for what was written and what a store reads back. */
export function canonical(value: unknown, type: LogicalType, kind: StoreKind): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && '$bigint' in (value as object))
    value = (value as { $bigint: string }).$bigint;
  if (typeof value === 'object' && '$text' in (value as object))
    value = (value as { $text: string }).$text;
  switch (type) {
    case 'integer':
    case 'bigint':
      return BigInt(value as string | number | bigint).toString();
    case 'decimal':
      // SQLite's NUMERIC affinity stores decimals as REAL (15 significant digits).
      return kind === 'sqlite' ? String(Number(value)) : decimalText(String(value));
    case 'float':
      return String(Number(value));
    case 'boolean':
      return String(
        value === true || value === 1 || value === 't' || value === 'true' || value === 1n,
      );
    case 'date':
      return String(value).slice(0, 10);
    case 'timestamp': {
      const raw =
        typeof value === 'string' || typeof value === 'number'
          ? naiveTimestamp(value, 'x')
          : String(value);
      const text = raw.replace('T', ' ');
      return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
    }
    case 'json':
      return sortedJson(JSON.parse(String(value)));
    case 'blob': {
      if (value instanceof Uint8Array)
        return `${value.byteLength}:${Buffer.from(value.subarray(0, 24)).toString('hex')}`;
      const cell = value as { $blob: number; head: string };
      return `${cell.$blob}:${cell.head}`;
    }
    default:
      return String(value);
  }
}

/** `-000123.4500` → `-123.45`; `0.0` → `0`. */
export function decimalText(text: string): string {
  let [int, fraction = ''] = text.replace(/^\+/, '').split('.');
  const negative = int!.startsWith('-');
  int = int!.replace('-', '').replace(/^0+(?=\d)/, '');
  fraction = fraction.replace(/0+$/, '');
  const body = fraction ? `${int}.${fraction}` : int;
  return negative && body !== '0' ? `-${body}` : body;
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function canonicalRows(
  rows: readonly (readonly unknown[])[],
  columns: readonly Column[],
  kind: StoreKind,
): Array<Array<string | null>> {
  return rows.map((row) => row.map((v, i) => canonical(v, columns[i]!.type, kind)));
}

export type PageRow = CellValue[];

/** Deterministic rows for volume tests: id, name, amount (2 decimals), day, flag. */
export const volumeColumns: Column[] = [
  col('id', 'integer', false),
  col('name', 'text'),
  col('amount', 'decimal'),
  col('day', 'date'),
  col('flag', 'boolean'),
];

export function volumeRows(from: number, count: number): WriteValue[][] {
  const rows: WriteValue[][] = [];
  for (let i = from; i < from + count; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + (i % 730) * 86_400_000).toISOString().slice(0, 10);
    rows.push([
      i,
      `name ${i % 977}\t${i}`,
      `${(i * 7919) % 100_000}.${String(i % 100).padStart(2, '0')}`,
      day,
      i % 3 === 0,
    ]);
  }
  return rows;
}

/** A write target keyed on `id`, all types unless told. */
export function target(
  path: DatasetPath,
  mode: WriteTarget['mode'],
  columns: Column[] = allTypes,
  extra: Partial<WriteTarget> = {},
): WriteTarget {
  return { path, mode, columns, key: ['id'], partitionBy: [], ...extra };
}
