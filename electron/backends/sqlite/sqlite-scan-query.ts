/**
 * The one statement of a SQLite scan: every column, in key order as scan.ts orders keys, within a
 * key range. SQLite's own order already agrees with `compareRowValues` (NULL, numbers, text by
 * bytes, blobs) once text compares with the BINARY collation, which a column may have replaced
 * (`COLLATE NOCASE`): so each key column is ordered and compared `COLLATE BINARY`.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column, DatasetPath } from '../../../shared/model.js';
import type { KeyRange, RowValue } from '../scan.js';
import { columnNamed } from '../sql/view-query.js';
import { sqliteDialect } from './dialect.js';

export interface SqliteScanSpec {
  path: DatasetPath;
  columns: Column[];
  /** Key columns; storage order when empty. */
  orderBy: string[];
  range?: KeyRange;
}

/** Keyset paging on a unique integer key: rows past the last key seen (bound last), a batch. */
export interface KeysetPage {
  after: boolean;
  limit: number;
}

type SqliteParam = number | bigint | string | Buffer;

const q = sqliteDialect.quoteIdent;

export function sqliteScanQuery(
  spec: SqliteScanSpec,
  page?: KeysetPage,
): { sql: string; params: SqliteParam[] } {
  const [schema, name] = spec.path.length === 1 ? ['main', spec.path[0]!] : spec.path;
  const keys = spec.orderBy.map((k) => binary(columnNamed(spec.columns, k)));
  const params: SqliteParam[] = [];
  const conditions: string[] = [];
  // Row values: `(k1, k2) >= (?, ?)` is lexicographic, and SQLite plans it on the key's index.
  const compare = (op: string, bound: readonly RowValue[]) => {
    if (bound.length !== keys.length) {
      throw new AppError('invalid-input', 'A key range bound must have one value per key column');
    }
    params.push(...bound.map(toParam));
    conditions.push(`(${keys.join(', ')}) ${op} (${keys.map(() => '?').join(', ')})`);
  };
  if (spec.range && keys.length === 0) {
    throw new AppError('invalid-input', 'A key range needs the key columns to order by');
  }
  if (spec.range?.from) compare('>=', spec.range.from);
  if (spec.range?.to) compare('<', spec.range.to);
  if (page?.after) conditions.push(`${keys[0]} > ?`);
  const select = spec.columns.map((c) => q(c.name)).join(', ');
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const order = keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : '';
  const limit = page ? ` LIMIT ${Math.trunc(page.limit)}` : '';
  return { sql: `SELECT ${select} FROM ${q(schema!)}.${q(name!)}${where}${order}${limit}`, params };
}

/** Numbers need no collation, and a bare integer key keeps SQLite on the rowid order. */
function binary(column: Column): string {
  const numeric = ['integer', 'bigint', 'float', 'decimal', 'boolean'].includes(column.type);
  return numeric ? q(column.name) : `${q(column.name)} COLLATE BINARY`;
}

function toParam(value: RowValue): SqliteParam {
  if (value === null) {
    throw new AppError('invalid-input', 'A key range bound holds a NULL key value');
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return value;
}
