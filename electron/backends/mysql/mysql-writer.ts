/**
 * MariaDB/MySQL's DatasetWriter. DDL commits implicitly here, so atomicity comes from names and
 * one atomic statement rather than from one transaction (write-plan.ts has each flow):
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
import type { RowEncoding } from '../row-encoding.js';
import type { DatasetWriter, WriteTarget, WriteValue } from '../writer.js';
import { partitionPlan, type PartitionKey } from '../sql/partition-keys.js';
import { checkRowWidth } from '../sql/write-values.js';
import { ServerWriteSession } from '../sql/server-write-session.js';
import { checkTargetShape, writeId } from '../sql/write-target.js';
import { translateMysqlError } from './errors.js';
import { loadColumns, type LoadColumn } from './load-data-encoding.js';
import { startInserts, startLocalInfile, type Loader } from './loader.js';
import { connectionOptions, type MysqlOptions } from './mysql-engine.js';
import { dropLeftovers, findTable, localInfileAllowed, writeLockName } from './write-catalog.js';
import { addPartitions, planWrite, publishWrite, type WritePlan } from './write-plan.js';

/** Strict, with backslash escapes on (the LOAD DATA format and mysql2's escaping rely on them). */
const sqlMode =
  'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

export interface MysqlWriterOptions {
  /** Load with batched INSERTs even when the server allows LOAD DATA LOCAL (tests, comparison). */
  insertsOnly?: boolean;
}

export function createMysqlWriter(
  options: MysqlOptions,
  writerOptions: MysqlWriterOptions = {},
): DatasetWriter {
  return {
    begin: async (target, beginOptions) => {
      const session = new MysqlWriteSession(options, writerOptions, beginOptions?.signal);
      await session.start(target);
      return session;
    },
  };
}

class MysqlWriteSession extends ServerWriteSession {
  /** Whether LOAD DATA LOCAL INFILE is used, or (server refuses it) batched INSERTs. */
  localInfile = true;
  private connection: mysql.Connection | undefined;
  private readonly id = writeId();
  private plan: WritePlan | undefined;
  private columns: LoadColumn[] = [];
  private readonly added: PartitionKey[] = [];
  private loader: Loader | undefined;

  constructor(
    private readonly options: MysqlOptions,
    private readonly writerOptions: MysqlWriterOptions,
    signal: AbortSignal | undefined,
  ) {
    super(signal);
  }

  protected async open(target: WriteTarget): Promise<void> {
    checkTargetShape(target, 'MariaDB');
    const plan = partitionPlan(target.columns, target.partitionBy, 'MariaDB', ['decimal']);
    const [database, name] = this.split(target.path);
    const connection = await mysql.createConnection(connectionOptions(this.options));
    this.connection = connection;
    connection.on('error', (error: unknown) => this.fail(this.translate(error)));
    await connection.query(`SET SESSION sql_mode = '${sqlMode}', time_zone = '+00:00'`);
    await connection.query('SET SESSION lock_wait_timeout = 30');
    await connection.query('SELECT GET_LOCK(?, 0)', [writeLockName(this.id)]);
    await dropLeftovers(connection, database);
    this.localInfile = !this.writerOptions.insertsOnly && (await localInfileAllowed(connection));
    const existing = await findTable(connection, database, name);
    this.columns = loadColumns(target.columns);
    const run = (sql: string) => connection.query(sql);
    this.plan = await planWrite(run, target, plan, existing, [database, name], this.id);
    await this.beginLoad();
  }

  protected async load(rows: WriteValue[][]): Promise<void> {
    checkRowWidth(rows, this.columns.length);
    const plan = this.plan!;
    const fresh = plan.tracker?.newKeys(rows) ?? [];
    // A staged append only notes new keys (its staging table is not partitioned); a created
    // table gets their partitions before their rows arrive, between two LOAD statements.
    this.added.push(...fresh);
    if (fresh.length > 0 && plan.flow !== 'staged-append') {
      await this.endLoad();
      await addPartitions((sql) => this.connection!.query(sql), plan.into, plan, fresh, false);
      await this.beginLoad();
    }
    await this.loader!.write(rows);
  }

  rowEncoding(): RowEncoding | undefined {
    if (!this.localInfile || this.plan?.tracker) return undefined;
    return { format: 'mysql-load-data', columns: this.columns.map((c) => c.column) };
  }

  protected async loadEncoded(bytes: Uint8Array, rows: number): Promise<void> {
    await this.loader!.writeEncoded(bytes, rows);
  }

  protected async publish(): Promise<void> {
    await this.endLoad();
    const columns = this.columns.map((c) => c.column);
    await publishWrite(this.connection!, this.plan!, columns, this.rows, this.added);
  }

  protected async release(): Promise<void> {
    await this.connection!.end().catch(() => undefined);
  }

  protected async rollback(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    if (this.loader) {
      // A LOAD DATA in flight cannot be stopped politely: closing the connection makes the server
      // roll it back. The staging table is then dropped over a fresh connection.
      connection.destroy();
      if (this.plan?.staging) await this.dropStagingElsewhere(this.plan.staging);
      return;
    }
    await connection.query('ROLLBACK').catch(() => undefined);
    if (this.plan?.staging) {
      await connection.query(`DROP TABLE IF EXISTS ${this.plan.staging}`).catch(() => undefined);
    }
    await connection.end().catch(() => connection.destroy());
  }

  private async beginLoad(): Promise<void> {
    const connection = this.connection!;
    await connection.query('START TRANSACTION');
    const into = this.plan!.into;
    this.loader = this.localInfile
      ? startLocalInfile(connection, into, this.columns)
      : startInserts(connection, into, this.columns);
  }

  private async endLoad(): Promise<void> {
    const loader = this.loader;
    if (!loader) return;
    this.rows += await loader.finish();
    this.loader = undefined;
  }

  private async dropStagingElsewhere(staging: string): Promise<void> {
    const connection = await mysql
      .createConnection(connectionOptions(this.options))
      .catch(() => undefined);
    if (!connection) return;
    await connection.query('SET SESSION lock_wait_timeout = 10').catch(() => undefined);
    await connection.query(`DROP TABLE IF EXISTS ${staging}`).catch(() => undefined);
    await connection.end().catch(() => connection.destroy());
  }

  private split(path: readonly string[]): [string, string] {
    const [database, name] =
      path.length === 1 ? [this.options.database, path[0]!] : [path[0]!, path[1]];
    if (path.length > 2 || name === undefined || !database) {
      throw new AppError('invalid-input', `“${path.join('.')}” is not a database.table name`);
    }
    return [database, name];
  }

  protected translate(error: unknown): AppError {
    return toAppError(translateMysqlError(error, this.options));
  }
}
