/**
 * MariaDB/MySQL's DatasetWriter. DDL commits implicitly here, so atomicity comes from names and
 * one atomic statement rather than from one transaction:
 *
 * - create: rows are loaded into `_strata_staging_<id>` (private by name), then one
 *   `RENAME TABLE staging TO target` publishes it.
 * - replace: the same, then one `RENAME TABLE target TO _strata_old_<id>, staging TO target`
 *   swaps both names in a single atomic statement; the old table is dropped after.
 * - append: `LOAD DATA` straight into the target inside a transaction (InnoDB), committed at the
 *   end; a partitioned target instead loads a staging copy (new partitions need DDL, which would
 *   commit the transaction early) and publishes with one `INSERT … SELECT` transaction.
 *
 * Abort, a dropped connection or a crash leave the target as it was; a staging table left by a
 * crash is dropped by the next write to the database (write-catalog.ts, named locks).
 */
import mysql from 'mysql2/promise';
import { AppError } from '../../../shared/errors.js';
import { toAppError } from '../../monitor/errors.js';
import type { DatasetWriter, WriteSession, WriteTarget, WriteValue } from '../writer.js';
import {
  partitionPlan,
  PartitionTracker,
  type PartitionKey,
  type PartitionPlan,
} from '../sql/partition-keys.js';
import { checkRowWidth } from '../sql/write-values.js';
import {
  checkAppendColumns,
  checkTargetShape,
  retiredPrefix,
  sameColumnNames,
  stagingPrefix,
  writeId,
} from '../sql/write-target.js';
import { mysqlDialect } from './dialect.js';
import { translateMysqlError } from './errors.js';
import { loadColumns, type LoadColumn } from './load-data-encoding.js';
import { startInserts, startLocalInfile, type Loader } from './loader.js';
import { connectionOptions, type MysqlOptions } from './mysql-engine.js';
import { createTableSql, partitionDefinition } from './write-ddl.js';
import {
  dropLeftovers,
  findTable,
  localInfileAllowed,
  writeLockName,
  type ExistingTable,
} from './write-catalog.js';

const q = mysqlDialect.quoteIdent;
/** Strict, with backslash escapes on (the LOAD DATA format and mysql2's escaping rely on them). */
const sqlMode =
  'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';
/** A key that already has a partition: the value is in a list already, or the name is taken. */
const alreadyCovered = new Set([1495, 1517]);

type Flow = 'append' | 'staged-append' | 'create' | 'replace';

export function createMysqlWriter(options: MysqlOptions): DatasetWriter {
  return {
    begin: async (target, beginOptions) => {
      const session = new MysqlWriteSession(options, beginOptions?.signal);
      await session.start(target);
      return session;
    },
  };
}

class MysqlWriteSession implements WriteSession {
  /** Whether LOAD DATA LOCAL INFILE is used, or (server refuses it) batched INSERTs. */
  localInfile = true;
  private connection: mysql.Connection | undefined;
  private readonly id = writeId();
  private flow: Flow = 'create';
  private database = '';
  private target = '';
  private staging: string | undefined;
  private into = '';
  private columns: LoadColumn[] = [];
  private tracker: PartitionTracker | undefined;
  private readonly added: PartitionKey[] = [];
  private loader: Loader | undefined;
  private rows = 0;
  private failure: AppError | undefined;
  private finished = false;
  private readonly onAbort = () => {
    this.fail(new AppError('cancelled', 'Cancelled'));
    void this.abort();
  };

  constructor(
    private readonly options: MysqlOptions,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async start(target: WriteTarget): Promise<void> {
    if (this.signal?.aborted) throw new AppError('cancelled', 'Cancelled');
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    try {
      checkTargetShape(target, 'MariaDB');
      const plan = partitionPlan(target.columns, target.partitionBy, 'MariaDB', ['decimal']);
      const [database, name] = this.split(target.path);
      this.database = database;
      const connection = await mysql.createConnection(connectionOptions(this.options));
      this.connection = connection;
      connection.on('error', (error: unknown) => this.fail(this.translate(error)));
      await connection.query(`SET SESSION sql_mode = '${sqlMode}', time_zone = '+00:00'`);
      await connection.query('SET SESSION lock_wait_timeout = 30');
      await connection.query('SELECT GET_LOCK(?, 0)', [writeLockName(this.id)]);
      await dropLeftovers(connection, database);
      this.localInfile = await localInfileAllowed(connection);
      const existing = await findTable(connection, database, name);
      this.target = `${q(database)}.${q(name)}`;
      this.columns = loadColumns(target.columns);
      await this.prepare(target, plan, existing, database, name);
      await this.beginLoad();
    } catch (error) {
      this.fail(this.translate(error));
      await this.abort();
      throw this.failure;
    }
  }

  async write(rows: WriteValue[][]): Promise<void> {
    this.check();
    if (rows.length === 0) return;
    try {
      checkRowWidth(rows, this.columns.length);
      const fresh = this.tracker?.newKeys(rows) ?? [];
      if (fresh.length > 0) {
        await this.endLoad();
        await this.addPartitions(this.into, fresh, this.flow === 'staged-append');
        this.added.push(...fresh);
        await this.beginLoad();
      }
      await this.loader!.write(rows);
    } catch (error) {
      this.fail(this.translate(error));
      throw this.failure;
    }
  }

  async commit(): Promise<{ rowsWritten: number }> {
    this.check();
    try {
      await this.endLoad();
      await this.publish();
    } catch (error) {
      this.fail(this.translate(error));
      await this.abort();
      throw this.failure;
    }
    this.finished = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    await this.connection!.end().catch(() => undefined);
    return { rowsWritten: this.rows };
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    const connection = this.connection;
    if (!connection) return;
    if (this.loader) {
      // A LOAD DATA in flight cannot be stopped politely: closing the connection makes the server
      // roll it back. The staging table is then dropped over a fresh connection.
      connection.destroy();
      if (this.staging) await this.dropStagingElsewhere();
      return;
    }
    await connection.query('ROLLBACK').catch(() => undefined);
    if (this.staging) {
      await connection.query(`DROP TABLE IF EXISTS ${this.staging}`).catch(() => undefined);
    }
    await connection.end().catch(() => connection.destroy());
  }

  private async prepare(
    target: WriteTarget,
    plan: PartitionPlan | undefined,
    existing: ExistingTable | undefined,
    database: string,
    name: string,
  ): Promise<void> {
    const where = `“${database}.${name}”`;
    if (target.mode === 'create' && existing) {
      throw new AppError(
        'invalid-input',
        `${where} already exists`,
        'Append to it, replace it, or choose another name.',
      );
    }
    if (target.mode !== 'create' && !existing) {
      throw new AppError('not-found', `No table ${where}`, 'Create it instead.');
    }
    if (existing?.kind === 'view') throw new AppError('invalid-input', `${where} is a view`);
    this.staging = `${q(database)}.${q(stagingPrefix + this.id)}`;
    if (target.mode === 'append') {
      checkAppendColumns(existing!.described, target.columns, where);
      if (existing!.engine.toLowerCase() !== 'innodb') {
        throw new AppError(
          'invalid-input',
          `${where} uses the ${existing!.engine} storage engine, which has no transactions: an append could be left half written`,
          'Convert it to InnoDB (ALTER TABLE … ENGINE=InnoDB), or replace it instead.',
        );
      }
      if (!existing!.partitioned) {
        this.flow = 'append';
        this.staging = undefined;
        this.into = this.target;
        return;
      }
      this.flow = 'staged-append';
      await this.run(`CREATE TABLE ${this.staging} LIKE ${this.target}`);
      const spec = existing!.partitioned;
      const index = target.columns.findIndex((c) => spec !== 'other' && c.name === spec.column);
      if (spec !== 'other' && index >= 0) {
        this.tracker = new PartitionTracker({
          index,
          column: target.columns[index]!,
          style: spec.style,
        });
      }
    } else {
      this.flow = target.mode;
      const keep =
        target.mode === 'replace' &&
        !plan &&
        !existing!.partitioned &&
        sameColumnNames(existing!.described.columns, target.columns);
      await this.run(
        keep
          ? `CREATE TABLE ${this.staging} LIKE ${this.target}`
          : createTableSql(this.staging, target.columns, target.key, plan),
      );
      if (plan) {
        this.tracker = new PartitionTracker(plan);
        this.tracker.assume(null);
      }
    }
    this.into = this.staging;
  }

  private async publish(): Promise<void> {
    const staging = this.staging!;
    await this.run('COMMIT');
    if (this.flow === 'create') {
      await this.run(`RENAME TABLE ${staging} TO ${this.target}`);
    } else if (this.flow === 'replace') {
      const retired = `${q(this.database)}.${q(retiredPrefix + this.id)}`;
      await this.run(`RENAME TABLE ${this.target} TO ${retired}, ${staging} TO ${this.target}`);
      // Published: a failed drop leaves only a retired table for the next cleanup.
      await this.run(`DROP TABLE ${retired}`).catch(() => undefined);
    } else if (this.flow === 'staged-append') {
      // Empty partitions for the new keys may stay behind should the INSERT fail; rows do not.
      await this.addPartitions(this.target, this.added, true);
      const list = this.columns.map((c) => q(c.name)).join(', ');
      await this.run('START TRANSACTION');
      const [header] = await this.connection!.query<mysql.ResultSetHeader>(
        `INSERT INTO ${this.target} (${list}) SELECT ${list} FROM ${staging}`,
      );
      if (header.affectedRows !== this.rows) {
        throw new AppError(
          'internal',
          `Appended ${header.affectedRows} rows where ${this.rows} were loaded`,
        );
      }
      await this.run('COMMIT');
      await this.run(`DROP TABLE ${staging}`).catch(() => undefined);
    }
  }

  private async beginLoad(): Promise<void> {
    await this.run('START TRANSACTION');
    const connection = this.connection!;
    this.loader = this.localInfile
      ? startLocalInfile(connection, this.into, this.columns)
      : startInserts(connection, this.into, this.columns);
  }

  private async endLoad(): Promise<void> {
    const loader = this.loader;
    if (!loader) return;
    this.rows += await loader.finish();
    this.loader = undefined;
  }

  private async addPartitions(
    table: string,
    keys: readonly PartitionKey[],
    tolerant: boolean,
  ): Promise<void> {
    const plan = this.tracker?.plan;
    if (!plan || keys.length === 0) return;
    const literal = (text: string) => mysql.escape(text);
    const definitions = keys.map((key) => partitionDefinition(key, plan, literal));
    if (!tolerant) {
      await this.run(`ALTER TABLE ${table} ADD PARTITION (${definitions.join(', ')})`);
      return;
    }
    for (const definition of definitions) {
      await this.run(`ALTER TABLE ${table} ADD PARTITION (${definition})`).catch(
        (error: unknown) => {
          if (!alreadyCovered.has(Number((error as { errno?: unknown }).errno))) throw error;
        },
      );
    }
  }

  private async dropStagingElsewhere(): Promise<void> {
    const connection = await mysql
      .createConnection(connectionOptions(this.options))
      .catch(() => undefined);
    if (!connection) return;
    await connection.query('SET SESSION lock_wait_timeout = 10').catch(() => undefined);
    await connection.query(`DROP TABLE IF EXISTS ${this.staging}`).catch(() => undefined);
    await connection.end().catch(() => connection.destroy());
  }

  private async run(sql: string): Promise<void> {
    await this.connection!.query(sql);
  }

  private split(path: readonly string[]): [string, string] {
    const [database, name] =
      path.length === 1 ? [this.options.database, path[0]!] : [path[0]!, path[1]];
    if (path.length > 2 || name === undefined || !database) {
      throw new AppError('invalid-input', `“${path.join('.')}” is not a database.table name`);
    }
    return [database, name];
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.finished) throw new AppError('internal', 'This write session has ended');
  }

  private fail(error: AppError): void {
    this.failure ??= error;
  }

  private translate(error: unknown): AppError {
    return toAppError(translateMysqlError(error, this.options));
  }
}
