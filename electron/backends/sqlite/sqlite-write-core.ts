/**
 * One atomic write into a SQLite file, synchronous (better-sqlite3): it runs inside the writer
 * worker (sqlite-writer-worker.ts), never on the main thread.
 *
 * Everything happens in one `BEGIN IMMEDIATE` transaction: create/replace build the table under a
 * staging name with multi-row INSERTs, then drop the old table (replace) and rename the staging
 * table into place; append inserts straight into the table. COMMIT publishes it all at once;
 * ROLLBACK — or the process dying, by SQLite's journal — leaves the file as it was.
 *
 * The file's journal mode is left as the user had it (WAL stays WAL, a rollback journal stays
 * one): changing it is persistent and not ours to do. `synchronous` stays at SQLite's default,
 * which costs one sync per commit, not per row.
 *
 * Why no faster PRAGMAs for the staging table (measured, 1M bench rows): the staging table shares
 * the file, the journal and the transaction with the user's tables, so nothing can be relaxed for
 * it alone. `journal_mode = MEMORY` or `OFF` would let pages spilled from the cache mid-load (page
 * 1, sqlite_schema) reach the file with no journal on disk to undo them, and an app killed then
 * would leave a half-written file; `synchronous = OFF` risks the same on power loss, and saved no
 * CPU (inserts 1.94 s against 1.85–1.96 s; the only sync is COMMIT's). The inserts' cost is
 * better-sqlite3 binding (~0.5 s) and SQLite's own (~1 s, INSERT … SELECT of the same rows).
 */
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import { PackedReader, type PackedRows } from '../packed-rows.js';
import type { WriteTarget, WriteValue } from '../writer.js';
import {
  checkAppendColumns,
  checkTargetShape,
  sameColumnNames,
  stagingPrefix,
  writeId,
} from '../sql/write-target.js';
import { checkRowWidth, naiveTimestamp } from '../sql/write-values.js';
import { sqliteDialect } from './dialect.js';
import { translateSqliteError } from './errors.js';
import { logicalTypeOfSqlite } from './types.js';
import { createTableSql, renamedCreateSql } from './write-ddl.js';

const q = sqliteDialect.quoteIdent;

/** Rows per INSERT statement: measured, 20–50 is 1.4× one row per statement; more is no faster. */
export const rowsPerStatement = 50;
/** SQLite binds at most 32,766 parameters per statement; wide tables get fewer rows each. */
const maxParameters = 32_766;
const busyTimeout = 60_000;
/** Most values passed to a statement as separate arguments (see runMany). */
const maxSpread = 4096;
/**
 * Page cache for the load (default is 2 MiB). A staging table grows at its right edge, so the
 * pages it revisits are few, and a dirty page spilled early is a write COMMIT would have made
 * anyway (new pages need no journal). 8 MiB measured as fast as 32 MiB and 13+ MiB less resident.
 */
const cacheKib = 8 * 1024;

type Bind = (value: WriteValue) => unknown;

interface Publish {
  schema: string;
  name: string;
  staging: string | undefined;
  replace: boolean;
  /** Index and trigger definitions to recreate on the replaced table. */
  keep: string[];
}

export class SqliteWriteCore {
  private readonly db: Database.Database;
  private publish: Publish | undefined;
  private many: Database.Statement | undefined;
  private one: Database.Statement | undefined;
  private binders: Array<Bind | undefined> = [];
  private perStatement = rowsPerStatement;
  private params: unknown[] = [];
  private filled = 0;
  private written = 0;

  constructor(private readonly file: string) {
    try {
      // BEGIN IMMEDIATE and COMMIT wait this long for other connections (a long read holds its
      // lock until it ends): failing a finished load at COMMIT for a busy reader would waste it.
      this.db = new Database(file, { fileMustExist: true, timeout: busyTimeout });
      this.db.pragma(`cache_size = -${cacheKib}`);
      // The rename that publishes a replace must not rewrite (or reject) views and triggers that
      // name the table being replaced: they are meant to see the new table under the old name.
      this.db.pragma('legacy_alter_table = ON');
    } catch (error) {
      throw translateSqliteError(error, file);
    }
  }

  begin(target: WriteTarget): void {
    this.guard(() => {
      checkTargetShape(target, 'SQLite');
      const [schema, name] = splitPath(target.path);
      this.db.exec('BEGIN IMMEDIATE');
      this.dropLeftovers(schema);
      const existing = this.db
        .prepare<[string], { type: string; sql: string | null }>(
          `SELECT type, sql FROM ${q(schema)}.sqlite_schema WHERE name = ? AND type IN ('table', 'view')`,
        )
        .get(name);
      const where = `“${schema}.${name}”`;
      if (target.mode === 'create' && existing) {
        throw new AppError(
          'invalid-input',
          `${where} already exists`,
          'Append to it, replace it, or choose another name.',
        );
      }
      if (target.mode !== 'create' && !existing) {
        throw new AppError('not-found', `No table ${where} in ${this.file}`, 'Create it instead.');
      }
      if (existing && existing.type !== 'table') {
        throw new AppError('invalid-input', `${where} is a view, not a table`);
      }
      const columns = existing ? this.columnsOf(schema, name) : [];
      let into = `${q(schema)}.${q(name)}`;
      if (target.mode === 'append') {
        checkAppendColumns({ columns, key: [], kind: 'table' }, target.columns, where);
        this.publish = { schema, name, staging: undefined, replace: false, keep: [] };
      } else {
        const staging = stagingPrefix + writeId();
        into = `${q(schema)}.${q(staging)}`;
        const keepDefinition =
          target.mode === 'replace' && sameColumnNames(columns, target.columns) && existing?.sql;
        const ddl =
          (keepDefinition && renamedCreateSql(existing.sql!, into)) ||
          createTableSql(into, target.columns, target.key);
        this.db.exec(ddl);
        this.publish = {
          schema,
          name,
          staging,
          replace: target.mode === 'replace',
          keep: keepDefinition ? this.indexesAndTriggers(schema, name) : [],
        };
      }
      this.prepare(into, target.columns);
    });
  }

  /** Inserts the rows; returns how many this write has inserted so far. */
  write(rows: WriteValue[][]): number {
    return this.guard(() => {
      if (!this.many) throw new AppError('internal', 'write() before begin()');
      const width = this.binders.length;
      checkRowWidth(rows, width);
      const { binders, params } = this;
      const full = this.perStatement * width;
      let j = this.filled;
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        for (let c = 0; c < width; c++) {
          const value = row[c]!;
          const bind = binders[c];
          params[j++] =
            bind !== undefined ? bind(value) : typeof value === 'boolean' ? +value : value;
        }
        if (j === full) {
          this.runMany(params);
          j = 0;
        }
      }
      this.filled = j;
      this.written += rows.length;
      return this.written;
    });
  }

  /** Inserts a packed batch (see packed-rows.ts) the same way, without rows as arrays between. */
  writePacked(batch: PackedRows): number {
    return this.guard(() => {
      if (!this.many) throw new AppError('internal', 'write() before begin()');
      const width = this.binders.length;
      if (batch.width !== width) {
        throw new AppError('internal', `Rows of ${batch.width} values for ${width} columns`);
      }
      const { binders, params } = this;
      const full = this.perStatement * width;
      const reader = new PackedReader(batch);
      let j = this.filled;
      for (let r = 0; r < batch.rows; r++) {
        for (let c = 0; c < width; c++) {
          const value = reader.next();
          const bind = binders[c];
          params[j++] =
            bind !== undefined ? bind(value) : typeof value === 'boolean' ? +value : value;
        }
        if (j === full) {
          this.runMany(params);
          j = 0;
        }
      }
      this.filled = j;
      this.written += batch.rows;
      return this.written;
    });
  }

  commit(): number {
    return this.guard(() => {
      const publish = this.publish;
      if (!publish || !this.one) throw new AppError('internal', 'commit() before begin()');
      const width = this.binders.length;
      for (let start = 0; start < this.filled; start += width) {
        this.one.run(this.params.slice(start, start + width));
      }
      this.filled = 0;
      const { schema, name, staging } = publish;
      if (staging !== undefined) {
        if (publish.replace) this.db.exec(`DROP TABLE ${q(schema)}.${q(name)}`);
        this.db.exec(`ALTER TABLE ${q(schema)}.${q(staging)} RENAME TO ${q(name)}`);
        for (const sql of publish.keep) this.db.exec(sql);
      }
      this.db.exec('COMMIT');
      this.publish = undefined;
      return this.written;
    });
  }

  /** Rolls back whatever was done; safe to call at any point, and more than once. */
  abort(): void {
    this.publish = undefined;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  close(): void {
    this.abort();
    this.db.close();
  }

  /**
   * One multi-row INSERT. The values go as arguments rather than as one array: better-sqlite3 reads
   * an array element by element through V8's API, arguments directly — measured 1.44–1.50 s
   * against 1.75–1.80 s of the writer's CPU for 1M bench rows. An array past `maxSpread` values
   * (wide tables) goes as it is, far from any limit on arguments.
   */
  private runMany(params: unknown[]): void {
    if (params.length <= maxSpread) this.many!.run(...params);
    else this.many!.run(params);
  }

  private prepare(into: string, columns: readonly Column[]): void {
    const width = columns.length;
    this.perStatement = Math.max(1, Math.min(rowsPerStatement, Math.floor(maxParameters / width)));
    const tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
    const list = columns.map((c) => q(c.name)).join(', ');
    const head = `INSERT INTO ${into} (${list}) VALUES `;
    this.many = this.db.prepare(head + new Array<string>(this.perStatement).fill(tuple).join(', '));
    this.one = this.db.prepare(head + tuple);
    this.binders = columns.map(binderFor);
    this.params = new Array<unknown>(this.perStatement * width);
  }

  private columnsOf(schema: string, name: string): Column[] {
    return this.db
      .prepare<
        [string, string],
        { name: string; type: string; notnull: number; pk: number; dflt: unknown; hidden: number }
      >(
        'SELECT name, type, "notnull", pk, dflt_value AS dflt, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid',
      )
      .all(name, schema)
      .filter((c) => c.hidden === 0)
      .map((c) => ({
        name: c.name,
        type: logicalTypeOfSqlite(c.type),
        nativeType: c.type,
        // A NOT NULL column with a default may still be left out of an append.
        nullable: (c.notnull === 0 && c.pk === 0) || c.dflt !== null,
      }));
  }

  private indexesAndTriggers(schema: string, name: string): string[] {
    return this.db
      .prepare<[string], { sql: string }>(
        `SELECT sql FROM ${q(schema)}.sqlite_schema
         WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name`,
      )
      .all(name)
      .map((r) => r.sql);
  }

  /**
   * A staging table is renamed before its transaction commits, so one can only be left by a
   * writer that does not follow these rules; dropping it is safe inside our own write lock.
   */
  private dropLeftovers(schema: string): void {
    const names = this.db
      .prepare<[number, string], { name: string }>(
        `SELECT name FROM ${q(schema)}.sqlite_schema WHERE type = 'table' AND substr(name, 1, ?) = ?`,
      )
      .all(stagingPrefix.length, stagingPrefix);
    for (const { name } of names) this.db.exec(`DROP TABLE ${q(schema)}.${q(name)}`);
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof RangeError) {
        throw new AppError('invalid-input', `A value cannot be stored in SQLite: ${error.message}`);
      }
      throw translateSqliteError(error, this.file);
    }
  }
}

/** Conversions a column needs beyond booleans (which every column turns into 1/0). */
function binderFor(column: Column): Bind | undefined {
  switch (column.type) {
    case 'timestamp':
      return (v) =>
        typeof v === 'string' || typeof v === 'number'
          ? naiveTimestamp(v, column.name)
          : toBindable(v);
    case 'blob':
      return (v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : toBindable(v));
    default:
      return undefined;
  }
}

function toBindable(value: WriteValue): unknown {
  return typeof value === 'boolean' ? +value : value;
}

function splitPath(path: readonly string[]): [string, string] {
  const [schema, name] = path.length === 1 ? ['main', path[0]!] : [path[0]!, path[1]];
  if (path.length > 2 || name === undefined || schema === 'temp') {
    throw new AppError('invalid-input', `“${path.join('.')}” is not a table name in this file`);
  }
  return [schema, name];
}
