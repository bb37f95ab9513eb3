/**
 * A diff as SQL statements that turn A into B, by key: DELETE for removed rows, INSERT for added,
 * UPDATE of the changed cells for changed ones. Without a key, rows are matched by every column
 * and as many copies as the multiset diff counted are deleted. Values are written as literals in
 * the dialect's syntax. Schema changes are not written as DDL: a comment lists them.
 */
import type { DiffColumn, DiffSummary, SqlDialect } from '../../shared/diff.js';
import type { RowValue } from '../backends/scan.js';
import type { StoredChange } from './change-store.js';

export function quoteIdentifier(name: string, dialect: SqlDialect): string {
  return dialect === 'mysql' ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`;
}

/** A dataset path as a (schema-qualified) table name. */
export function quoteTable(path: readonly string[], dialect: SqlDialect): string {
  return path.map((part) => quoteIdentifier(part, dialect)).join('.');
}

export function sqlLiteral(value: RowValue, dialect: SqlDialect): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value)
        ? String(value)
        : dialect === 'postgres'
          ? `'${value}'`
          : 'NULL';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return dialect === 'sqlite' ? (value ? '1' : '0') : value ? 'TRUE' : 'FALSE';
    case 'string': {
      const escaped = value.replace(/'/g, "''");
      return dialect === 'mysql' ? `'${escaped.replace(/\\/g, '\\\\')}'` : `'${escaped}'`;
    }
  }
  const hex = Buffer.from(value).toString('hex');
  return dialect === 'postgres' ? `'\\x${hex}'::bytea` : `X'${hex}'`;
}

function equals(column: string, value: RowValue, dialect: SqlDialect): string {
  const name = quoteIdentifier(column, dialect);
  return value === null ? `${name} IS NULL` : `${name} = ${sqlLiteral(value, dialect)}`;
}

export interface SqlTarget {
  table: readonly string[];
  dialect: SqlDialect;
}

export function sqlPreamble(summary: DiffSummary, dialect: SqlDialect): string[] {
  const lines = [`-- Turns ${summary.a.label} into ${summary.b.label}.`];
  const { schema } = summary;
  if (schema.added.length > 0)
    lines.push(
      `-- Columns added in B (not created here): ${schema.added.map((c) => c.name).join(', ')}`,
    );
  if (schema.removed.length > 0)
    lines.push(
      `-- Columns removed in B (not dropped here): ${schema.removed.map((c) => c.name).join(', ')}`,
    );
  for (const r of schema.retyped)
    lines.push(`-- Column ${r.name} retyped ${r.old.nativeType} → ${r.new.nativeType}`);
  lines.push(dialect === 'mysql' ? 'START TRANSACTION;' : 'BEGIN;');
  return lines;
}

export function sqlStatement(
  change: StoredChange,
  columns: readonly DiffColumn[],
  keyed: boolean,
  target: SqlTarget,
): string {
  const { dialect } = target;
  const table = quoteTable(target.table, dialect);
  const keyWhere = (row: readonly RowValue[]) =>
    columns
      .flatMap((c, i) => (c.key && c.inA ? [equals(c.name, row[i] ?? null, dialect)] : []))
      .join(' AND ');
  if (change.kind === 'added') {
    const copies = change.count ?? 1;
    const present = columns.flatMap((c, i) => (c.inB && c.inA ? [i] : []));
    const names = present.map((i) => quoteIdentifier(columns[i]!.name, dialect)).join(', ');
    const values = present.map((i) => sqlLiteral(change.new![i] ?? null, dialect)).join(', ');
    const tuples = new Array<string>(copies).fill(`(${values})`).join(', ');
    return `INSERT INTO ${table} (${names}) VALUES ${tuples};`;
  }
  if (change.kind === 'removed') {
    if (keyed) return `DELETE FROM ${table} WHERE ${keyWhere(change.old!)};`;
    const where = columns
      .flatMap((c, i) =>
        c.inA && c.inB && !c.ignored ? [equals(c.name, change.old![i] ?? null, dialect)] : [],
      )
      .join(' AND ');
    const n = change.count ?? 1;
    if (dialect === 'mysql') return `DELETE FROM ${table} WHERE ${where} LIMIT ${n};`;
    const rowId = dialect === 'postgres' ? 'ctid' : 'rowid';
    return `DELETE FROM ${table} WHERE ${rowId} IN (SELECT ${rowId} FROM ${table} WHERE ${where} LIMIT ${n});`;
  }
  const sets = change.changed
    .map(
      (i) =>
        `${quoteIdentifier(columns[i]!.name, dialect)} = ${sqlLiteral(change.new![i] ?? null, dialect)}`,
    )
    .join(', ');
  return `UPDATE ${table} SET ${sets} WHERE ${keyWhere(change.old!)};`;
}
