/**
 * What every SQL writer checks about a WriteTarget before it writes anything: sound column, key
 * and partition names, an append whose columns fit the existing table, and the private names a
 * write stages under. Engine-specific checks (types a store cannot partition by…) live beside
 * each engine's DDL.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import type { Column, DatasetSchema, LogicalType } from '../../../shared/model.js';
import type { WriteTarget } from '../writer.js';

/** Every table a write creates before it publishes starts with this; cleanup looks for it. */
export const stagingPrefix = '_strata_staging_';
/** A replaced table's old self, between the swap and its drop (MariaDB only). */
export const retiredPrefix = '_strata_old_';

/** A fresh random id; staging (and retired) names are the prefix followed by it. */
export function writeId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Checks names before any SQL is built from them. Names are compared without case, because
 * SQLite and MariaDB do, so a file with `Id` and `id` fails here rather than half-way in DDL.
 */
export function checkTargetShape(target: WriteTarget, store: string): void {
  if (target.columns.length === 0) {
    throw new AppError('invalid-input', 'There are no columns to write');
  }
  const seen = new Set<string>();
  for (const column of target.columns) {
    if (column.name.length === 0) throw new AppError('invalid-input', 'A column has no name');
    const folded = column.name.toLowerCase();
    if (seen.has(folded)) {
      throw new AppError(
        'invalid-input',
        `Column “${column.name}” appears twice (${store} compares names without case)`,
        'Rename one of the columns.',
      );
    }
    seen.add(folded);
  }
  for (const name of [...target.key, ...target.partitionBy]) {
    if (!target.columns.some((c) => c.name === name)) {
      throw new AppError('invalid-input', `“${name}” is not one of the columns being written`);
    }
  }
  if (target.partitionBy.length > 1) {
    throw new AppError(
      'invalid-input',
      `${store} tables are partitioned here by one column, not ${target.partitionBy.length}`,
      'Choose a single partition column.',
    );
  }
  if (isPrivateName(target.path[target.path.length - 1]!)) {
    throw new AppError('invalid-input', 'Names starting with “_strata_” are reserved by Strata');
  }
}

export function isPrivateName(name: string): boolean {
  return name.startsWith(stagingPrefix) || name.startsWith(retiredPrefix);
}

/** Whether the upload names exactly the existing table's columns (in any order). */
export function sameColumnNames(existing: readonly Column[], columns: readonly Column[]): boolean {
  if (existing.length !== columns.length) return false;
  const names = new Set(existing.map((c) => c.name));
  return columns.every((c) => names.has(c.name));
}

/**
 * An append must fit the table it appends to: every column written exists there with a type that
 * takes its values, and every column left out may be NULL. Checked before a single row is sent.
 */
export function checkAppendColumns(
  existing: DatasetSchema,
  columns: readonly Column[],
  where: string,
): void {
  if (existing.kind !== 'table') {
    throw new AppError('invalid-input', `${where} is a view; rows can only be appended to a table`);
  }
  const byName = new Map(existing.columns.map((c) => [c.name, c]));
  const missing = columns.filter((c) => !byName.has(c.name)).map((c) => `“${c.name}”`);
  if (missing.length > 0) {
    throw new AppError(
      'invalid-input',
      `${where} has no column ${missing.join(', ')}`,
      `Its columns are ${existing.columns.map((c) => c.name).join(', ')}. Rename or leave out the others, or write to a new table.`,
    );
  }
  for (const column of columns) {
    const into = byName.get(column.name)!;
    if (!assignable(column.type, into.type)) {
      throw new AppError(
        'invalid-input',
        `Column “${column.name}” holds ${column.type} values but ${where} has it as ${into.nativeType || into.type}`,
        'Change the column’s type in the preview, or write to a new table.',
      );
    }
  }
  const written = new Set(columns.map((c) => c.name));
  const required = existing.columns.filter((c) => !c.nullable && !written.has(c.name));
  if (required.length > 0) {
    throw new AppError(
      'invalid-input',
      `${where} requires column ${required.map((c) => `“${c.name}”`).join(', ')}, which the upload lacks`,
    );
  }
}

const widening: Partial<Record<LogicalType, readonly LogicalType[]>> = {
  integer: ['bigint', 'decimal', 'float'],
  bigint: ['integer', 'decimal', 'float'],
  decimal: ['float'],
  float: ['decimal'],
  date: ['timestamp'],
  boolean: ['integer', 'bigint'],
};

/**
 * Whether values typed `from` can go into a column of type `to` without the store rejecting or
 * silently mangling them. Text and unknown columns take anything; integers go into bigint (and
 * back: `integer` in a file means “fits 2^53”, which many stores call bigint).
 */
export function assignable(from: LogicalType, to: LogicalType): boolean {
  if (from === to || to === 'text' || to === 'unknown' || from === 'unknown') return true;
  return widening[from]?.includes(to) ?? false;
}

/** `DECIMAL(p,s)` / `NUMERIC(p)` as declared on a column, when it is one. */
export function declaredDecimal(
  nativeType: string,
): { precision: number; scale: number } | undefined {
  const match = /^\s*(?:numeric|decimal|dec)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)\s*$/i.exec(
    nativeType,
  );
  if (!match) return undefined;
  const precision = Number(match[1]);
  const scale = match[2] === undefined ? 0 : Number(match[2]);
  return precision >= 1 && scale <= precision ? { precision, scale } : undefined;
}

/** Whether a timestamp column was declared as carrying a time zone. */
export function declaredWithZone(nativeType: string): boolean {
  return /tz|time\s*zone/i.test(nativeType);
}
