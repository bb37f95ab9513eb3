/**
 * Reads a SQLite file for the browser: tree, schema, pages, counts and single cells. Synchronous
 * (better-sqlite3), so it runs inside a worker thread (sqlite-worker.ts), never on the main one.
 *
 * Deep pages of a sorted or filtered view would cost a full sort per page with LIMIT/OFFSET, so
 * the first deep request materialises the view's row ids, in order, into a temp table; every
 * later page is then a range read on it. The cache is dropped when `PRAGMA data_version` says
 * another connection changed the file.
 */
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type {
  CellDetail,
  Column,
  DatasetPath,
  DatasetSchema,
  Page,
  TreeNode,
  ViewSpec,
} from '../../../shared/model.js';
import { describeCell, encodeCell } from '../cells.js';
import { columnNamed, orderByClause, viewKey, whereClause } from '../sql/view-query.js';
import { sqliteDialect } from './dialect.js';
import { translateSqliteError } from './errors.js';
import { logicalTypeOfSqlite } from './types.js';

interface DatasetInfo {
  schema: string;
  name: string;
  /** `"schema"."name"`, ready to splice into SQL. */
  qualified: string;
  described: DatasetSchema;
  /** A rowid alias no column shadows, for rowid tables; undefined for views and WITHOUT ROWID. */
  rowid: string | undefined;
  tieBreak: string[];
}

interface MaterialisedView {
  table: string;
  rows: number;
}

/** Pages this deep or shallower are read directly; deeper ones go through a materialised view. */
const directReadLimit = 2_000;
const maxMaterialisedViews = 4;

const q = sqliteDialect.quoteIdent;

export class SqliteReader {
  private readonly db: Database.Database;
  private readonly datasets = new Map<string, DatasetInfo>();
  private readonly views = new Map<string, MaterialisedView>();
  private readonly counts = new Map<string, number>();
  private dataVersion = -1;
  private nextTempTable = 1;

  constructor(private readonly file: string) {
    try {
      this.db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw translateSqliteError(error, file);
    }
  }

  close(): void {
    this.db.close();
  }

  tree(): TreeNode[] {
    return this.guard(() => {
      const schemas = this.db
        .prepare<[string], { name: string }>(
          'SELECT name FROM pragma_database_list WHERE name <> ?',
        )
        .all('temp');
      return schemas.map(({ name: schema }) => {
        const objects = this.db
          .prepare<[], { name: string; type: 'table' | 'view' }>(
            `SELECT name, type FROM ${q(schema)}.sqlite_schema
             WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             ORDER BY type, name COLLATE NOCASE`,
          )
          .all();
        const children: TreeNode[] = objects.map((o) => {
          const node: TreeNode = {
            id: `${schema}.${o.name}`,
            label: o.name,
            kind: o.type,
            path: [schema, o.name],
          };
          if (o.type === 'table') {
            node.rowCount = this.countRows(`${q(schema)}.${q(o.name)}`);
            node.rowCountExact = true;
          }
          return node;
        });
        return { id: schema, label: schema, kind: 'schema', path: [schema], children };
      });
    });
  }

  describe(path: DatasetPath): DatasetSchema {
    return this.guard(() => this.dataset(path).described);
  }

  page(path: DatasetPath, view: ViewSpec, offset: number, limit: number): Page {
    return this.guard(() => {
      const info = this.dataset(path);
      const statement = this.rowsQuery(info, view, offset, limit, info.described.columns);
      const rows = statement.stmt
        .raw(true)
        .safeIntegers(true)
        .all(...statement.params) as unknown[][];
      const types = info.described.columns.map((c) => c.type);
      return { offset, rows: rows.map((row) => row.map((v, i) => encodeCell(v, types[i]!))) };
    });
  }

  count(path: DatasetPath, view: ViewSpec): number {
    return this.guard(() => {
      const info = this.dataset(path);
      const key = `${info.qualified}|${JSON.stringify(view.filters)}`;
      const materialised = this.views.get(`${info.qualified}|${viewKey(view)}`);
      if (materialised) return materialised.rows;
      const cached = this.counts.get(key);
      if (cached !== undefined) return cached;
      const where = whereClause(sqliteDialect, info.described.columns, view.filters);
      const count = this.countRows(info.qualified, where.sql, where.params);
      this.counts.set(key, count);
      return count;
    });
  }

  cell(path: DatasetPath, view: ViewSpec, row: number, columnName: string): CellDetail {
    return this.guard(() => {
      const info = this.dataset(path);
      const column = columnNamed(info.described.columns, columnName);
      const statement = this.rowsQuery(info, view, row, 1, [column]);
      const found = statement.stmt
        .raw(true)
        .safeIntegers(true)
        .get(...statement.params) as unknown[] | undefined;
      if (!found) throw new AppError('not-found', `Row ${row + 1} is past the end of the dataset`);
      return describeCell(column, found[0]);
    });
  }

  private rowsQuery(
    info: DatasetInfo,
    view: ViewSpec,
    offset: number,
    limit: number,
    selected: readonly Column[],
  ): { stmt: Database.Statement; params: unknown[] } {
    const columns = info.described.columns;
    const plain = view.sort.length === 0 && view.filters.length === 0;
    if (plain || offset < directReadLimit || info.rowid === undefined) {
      const where = whereClause(sqliteDialect, columns, view.filters);
      const order = orderByClause(sqliteDialect, columns, view.sort, info.tieBreak);
      return {
        stmt: this.db.prepare(
          `SELECT ${selectList(selected)} FROM ${info.qualified} ${where.sql} ${order} LIMIT ? OFFSET ?`,
        ),
        params: [...where.params, limit, offset],
      };
    }
    const materialised = this.materialise(info, view);
    return {
      stmt: this.db.prepare(
        `SELECT ${selectList(selected, 'd.')} FROM temp.${materialised.table} AS v
         CROSS JOIN ${info.qualified} AS d ON d.${info.rowid} = v.r
         WHERE v.rowid > ? AND v.rowid <= ? ORDER BY v.rowid`,
      ),
      params: [offset, offset + limit],
    };
  }

  private materialise(info: DatasetInfo, view: ViewSpec): MaterialisedView {
    const key = `${info.qualified}|${viewKey(view)}`;
    const existing = this.views.get(key);
    if (existing) {
      this.views.delete(key);
      this.views.set(key, existing);
      return existing;
    }
    const columns = info.described.columns;
    const where = whereClause(sqliteDialect, columns, view.filters);
    const order = orderByClause(sqliteDialect, columns, view.sort, info.tieBreak);
    const table = `strata_view_${this.nextTempTable++}`;
    this.db.exec(`CREATE TEMP TABLE ${table} (r INTEGER NOT NULL)`);
    const inserted = this.db
      .prepare(
        `INSERT INTO temp.${table} (r) SELECT ${info.rowid} FROM ${info.qualified} ${where.sql} ${order}`,
      )
      .run(...where.params);
    const materialised = { table, rows: inserted.changes };
    this.views.set(key, materialised);
    while (this.views.size > maxMaterialisedViews) {
      const [oldestKey, oldest] = this.views.entries().next().value as [string, MaterialisedView];
      this.db.exec(`DROP TABLE temp.${oldest.table}`);
      this.views.delete(oldestKey);
    }
    return materialised;
  }

  private dataset(path: DatasetPath): DatasetInfo {
    const [schema, name] = path.length === 1 ? ['main', path[0]!] : [path[0]!, path[1]];
    if (path.length > 2 || name === undefined) {
      throw new AppError('invalid-input', `“${path.join('.')}” is not a SQLite table or view name`);
    }
    const id = `${schema}.${name}`;
    const cached = this.datasets.get(id);
    if (cached) return cached;
    const entry = this.lookup(schema, name);
    this.datasets.set(id, entry);
    return entry;
  }

  private lookup(schema: string, name: string): DatasetInfo {
    const known = this.db
      .prepare<[], { name: string }>('SELECT name FROM pragma_database_list')
      .all()
      .some((s) => s.name === schema);
    const object = known
      ? this.db
          .prepare<[string], { type: 'table' | 'view'; sql: string | null }>(
            `SELECT type, sql FROM ${q(schema)}.sqlite_schema WHERE name = ? AND type IN ('table', 'view')`,
          )
          .get(name)
      : undefined;
    if (!object) {
      throw new AppError(
        'not-found',
        `No table or view “${schema}.${name}” in ${this.file}`,
        'Run `strata ls` on the connection to see what it holds.',
      );
    }
    const rows = this.db
      .prepare<
        [string, string],
        { name: string; type: string; notnull: number; pk: number; hidden: number }
      >('SELECT name, type, "notnull", pk, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid')
      .all(name, schema)
      .filter((c) => c.hidden !== 1);
    const columns: Column[] = rows.map((c) => ({
      name: c.name,
      type: logicalTypeOfSqlite(c.type),
      nativeType: c.type,
      nullable: c.notnull === 0 && c.pk === 0,
    }));
    const key = rows
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const withoutRowid = /\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(object.sql ?? '');
    const rowid =
      object.type === 'table' && !withoutRowid
        ? ['rowid', '_rowid_', 'oid'].find(
            (alias) => !columns.some((c) => c.name.toLowerCase() === alias),
          )
        : undefined;
    const tieBreak = rowid ? [rowid] : key.map(q);
    return {
      schema,
      name,
      qualified: `${q(schema)}.${q(name)}`,
      described: { columns, key, kind: object.type },
      rowid,
      tieBreak,
    };
  }

  private countRows(qualified: string, where = '', params: unknown[] = []): number {
    const row = this.db
      .prepare(`SELECT count(*) FROM ${qualified} ${where}`)
      .pluck()
      .get(...params) as number;
    return row;
  }

  /** Runs `work` with SQLite errors translated, after dropping caches the file has outdated. */
  private guard<T>(work: () => T): T {
    try {
      const version = this.db.pragma('data_version', { simple: true }) as number;
      if (version !== this.dataVersion) {
        this.dropCaches();
        this.dataVersion = version;
      }
      return work();
    } catch (error) {
      throw translateSqliteError(error, this.file);
    }
  }

  private dropCaches(): void {
    for (const view of this.views.values()) this.db.exec(`DROP TABLE IF EXISTS temp.${view.table}`);
    this.views.clear();
    this.counts.clear();
    this.datasets.clear();
  }
}

function selectList(columns: readonly Column[], prefix = ''): string {
  return columns.map((c) => prefix + q(c.name)).join(', ');
}
