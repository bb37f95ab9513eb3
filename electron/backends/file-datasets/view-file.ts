/**
 * Saved views beside the data: `NAME.view.json` names a dataset in the same folder tree and the
 * columns, filters and order to show, in the grid's own ViewSpec terms —
 *
 *   { "from": "people.csv", "columns": ["id", "name"], "filters": [{ "column": "age",
 *     "op": "range", "min": "25" }], "sort": [{ "column": "name", "direction": "asc" }] }
 *
 * A folder of files has no SQL views; this gives a data lake the same thing (a named, reusable
 * slice) without running arbitrary SQL. The view is materialised from its dataset's cache.
 */
import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { filterSchema, sortSpecSchema } from '../../../shared/model.js';
import { sqliteDialect } from '../sqlite/dialect.js';
import { columnNamed, orderByClause, whereClause } from '../sql/view-query.js';
import {
  createTable,
  existingCache,
  finish,
  openForWrite,
  type CacheSummary,
} from './cache-build.js';
import type { ColumnsInfo } from './dataset.js';

export const viewDefinitionSchema = z.object({
  from: z.string().min(1).max(1024),
  columns: z.array(z.string().min(1)).max(1000).optional(),
  filters: z.array(filterSchema).max(64).default([]),
  sort: z.array(sortSpecSchema).max(16).default([]),
});
export type ViewDefinition = z.infer<typeof viewDefinitionSchema>;

export function parseViewDefinition(text: string, where: string): ViewDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('query-failed', `${where}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = viewDefinitionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'query-failed',
      `${where}: not a view definition (${issue?.path.join('.') || 'top'}: ${issue?.message ?? 'invalid'})`,
      'A view file holds { "from": "file.csv", "columns": [...], "filters": [...], "sort": [...] }.',
    );
  }
  return parsed.data;
}

/** The view's columns: the chosen ones of its dataset, in the order the view lists them. */
export function viewColumns(definition: ViewDefinition, base: ColumnsInfo): ColumnsInfo {
  const columns = definition.columns
    ? definition.columns.map((name) => ({ ...columnNamed(base.columns, name) }))
    : base.columns.map((c) => ({ ...c }));
  const names = new Set(columns.map((c) => c.name));
  return {
    columns,
    fileColumns: columns.length,
    key: base.key.every((k) => names.has(k)) ? [...base.key] : [],
  };
}

/** Writes the view's rows, in its order, from its dataset's cache into a cache of its own. */
export function buildViewCache(
  base: CacheSummary,
  definition: ViewDefinition,
  file: string,
): CacheSummary {
  const existing = existingCache(file);
  if (existing) return existing;
  const info = viewColumns(definition, base.info);
  const { db, temp } = openForWrite(file);
  try {
    createTable(db, info.columns);
    db.prepare('ATTACH DATABASE ? AS base').run(base.file);
    const where = whereClause(sqliteDialect, base.info.columns, definition.filters);
    const order = orderByClause(sqliteDialect, base.info.columns, definition.sort, ['rowid']);
    const list = info.columns.map((c) => sqliteDialect.quoteIdent(c.name)).join(', ');
    const inserted = (db as Database.Database)
      .prepare(`INSERT INTO main.data SELECT ${list} FROM base.data ${where.sql} ${order}`)
      .run(...where.params);
    db.exec('DETACH DATABASE base');
    return finish(db, temp, file, { rows: inserted.changes, info });
  } catch (error) {
    if (db.open) db.close();
    rmSync(temp, { force: true });
    throw error;
  }
}
