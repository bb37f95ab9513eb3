/**
 * The catalog questions a MariaDB/MySQL write asks on its own connection: what the target is
 * (view or table, storage engine, how it is partitioned), and which staging tables are left over
 * from writes that died.
 *
 * Staging tables here are real, committed tables (DDL commits in MariaDB), so a crash can leave
 * one. Each write holds the named lock `strata_write_<id>` for as long as its connection lives;
 * a `_strata_staging_<id>` or `_strata_old_<id>` whose lock is free belongs to no live write.
 */
import type mysql from 'mysql2/promise';
import type { DatasetSchema } from '../../../shared/model.js';
import { retiredPrefix, stagingPrefix } from '../sql/write-target.js';
import { mysqlLookup } from './catalog.js';
import { mysqlDialect } from './dialect.js';

const q = mysqlDialect.quoteIdent;

export interface ExistingTable {
  kind: 'table' | 'view';
  engine: string;
  described: DatasetSchema;
  /** Set when partitioned: LIST COLUMNS on one column, or LIST on a column's month. */
  partitioned?: { column: string; style: 'list' | 'month' } | 'other' | undefined;
}

type Rows = mysql.RowDataPacket[];

export function writeLockName(id: string): string {
  return `strata_write_${id}`;
}

export async function findTable(
  connection: mysql.Connection,
  database: string,
  name: string,
): Promise<ExistingTable | undefined> {
  const [found] = await connection.query<Rows>(
    `SELECT TABLE_TYPE AS type, ENGINE AS engine FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [database, name],
  );
  if (found.length === 0) return undefined;
  const dataset = await mysqlLookup(
    async (sql, params) => {
      const [rows] = await connection.query({ sql, values: [...params], rowsAsArray: true });
      return rows as unknown[][];
    },
    [database, name],
    database,
  );
  const [parts] = await connection.query<Rows>(
    `SELECT DISTINCT PARTITION_METHOD AS method, PARTITION_EXPRESSION AS expression
     FROM information_schema.PARTITIONS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND PARTITION_NAME IS NOT NULL`,
    [database, name],
  );
  return {
    kind: String(found[0]!.type).toUpperCase().includes('VIEW') ? 'view' : 'table',
    engine: String(found[0]!.engine ?? ''),
    described: dataset.described,
    partitioned: parts.length === 0 ? undefined : partitioning(parts),
  };
}

/** Recognises the two partitionings Strata makes; anything else is left to the table. */
function partitioning(parts: Rows): ExistingTable['partitioned'] {
  if (parts.length !== 1) return 'other';
  const method = String(parts[0]!.method);
  const expression = String(parts[0]!.expression).trim();
  const single = /^`((?:[^`]|``)+)`$/.exec(expression);
  if (method === 'LIST COLUMNS' && single) {
    return { column: single[1]!.replace(/``/g, '`'), style: 'list' };
  }
  const month = /^extract\(year_month from `((?:[^`]|``)+)`\)$/i.exec(expression);
  if (method === 'LIST' && month) return { column: month[1]!.replace(/``/g, '`'), style: 'month' };
  return 'other';
}

/** Drops staging and retired tables in `database` whose write is no longer alive. */
export async function dropLeftovers(connection: mysql.Connection, database: string): Promise<void> {
  const [tables] = await connection.query<Rows>(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = ? AND (LEFT(TABLE_NAME, ?) = ? OR LEFT(TABLE_NAME, ?) = ?)`,
    [database, stagingPrefix.length, stagingPrefix, retiredPrefix.length, retiredPrefix],
  );
  for (const { name } of tables) {
    const table = String(name);
    const id = table.startsWith(stagingPrefix)
      ? table.slice(stagingPrefix.length)
      : table.slice(retiredPrefix.length);
    const [free] = await connection.query<Rows>('SELECT IS_FREE_LOCK(?) AS free', [
      writeLockName(id),
    ]);
    if (Number(free[0]?.free) === 1) {
      await connection.query(`DROP TABLE IF EXISTS ${q(database)}.${q(table)}`);
    }
  }
}

/** Whether the server lets this client send rows with LOAD DATA LOCAL INFILE. */
export async function localInfileAllowed(connection: mysql.Connection): Promise<boolean> {
  const [rows] = await connection.query<Rows>('SELECT @@GLOBAL.local_infile AS allowed');
  return Number(rows[0]?.allowed) === 1;
}
