/**
 * Where a MariaDB/MySQL write loads its rows, and how it makes them the target's (see
 * mysql-writer.ts for why each flow is atomic):
 *
 * - create: staging table from the upload's types, `RENAME TABLE staging TO target`.
 * - replace: staging table built `LIKE` the old one (types, indexes, defaults) when the upload
 *   has the same columns and no partitioning is asked for, else from the upload's types; one
 *   `RENAME TABLE target TO retired, staging TO target`, then the retired table is dropped.
 * - append: straight into the target, in the load's transaction.
 * - staged-append (partitioned target): a plain staging table; partitions for new keys are added
 *   to the target at publish, then one `INSERT … SELECT` transaction.
 */
import mysql from 'mysql2/promise';
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import type { WriteTarget } from '../writer.js';
import { PartitionTracker, type PartitionKey, type PartitionPlan } from '../sql/partition-keys.js';
import {
  checkAppendColumns,
  retiredPrefix,
  sameColumnNames,
  stagingPrefix,
} from '../sql/write-target.js';
import { mysqlDialect } from './dialect.js';
import type { ExistingTable } from './write-catalog.js';
import { createTableSql, partitionDefinition } from './write-ddl.js';

const q = mysqlDialect.quoteIdent;
/** A key that already has a partition: the value is in a list already, or the name is taken. */
const alreadyCovered = new Set([1495, 1517]);

export type Flow = 'append' | 'staged-append' | 'create' | 'replace';

export interface WritePlan {
  flow: Flow;
  /** Quoted `db`.`table` names. */
  target: string;
  staging: string | undefined;
  into: string;
  retired: string;
  tracker: PartitionTracker | undefined;
}

type Run = (sql: string) => Promise<unknown>;

export async function planWrite(
  run: Run,
  target: WriteTarget,
  plan: PartitionPlan | undefined,
  existing: ExistingTable | undefined,
  [database, name]: [string, string],
  id: string,
): Promise<WritePlan> {
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
  const qualified = `${q(database)}.${q(name)}`;
  const staging = `${q(database)}.${q(stagingPrefix + id)}`;
  const retired = `${q(database)}.${q(retiredPrefix + id)}`;
  const base = { target: qualified, staging, into: staging, retired, tracker: undefined };
  if (target.mode === 'append') {
    checkAppendColumns(existing!.described, target.columns, where);
    if (existing!.engine.toLowerCase() !== 'innodb') {
      throw new AppError(
        'invalid-input',
        `${where} uses the ${existing!.engine} storage engine, which has no transactions: an append could be left half written`,
        'Convert it to InnoDB (ALTER TABLE … ENGINE=InnoDB), or replace it instead.',
      );
    }
    const spec = existing!.partitioned;
    if (!spec) return { ...base, flow: 'append', staging: undefined, into: qualified };
    // A plain staging table with the target's own column types: no key (the INSERT … SELECT
    // meets the target's), no partitions (MariaDB cannot copy some with LIKE, and they are only
    // needed in the target).
    const own = new Map(existing!.described.columns.map((c) => [c.name, c.nativeType]));
    const defs = target.columns.map((c) => `${q(c.name)} ${own.get(c.name)!}`);
    await run(`CREATE TABLE ${staging} (${defs.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    const index = target.columns.findIndex((c) => spec !== 'other' && c.name === spec.column);
    const tracker =
      spec !== 'other' && index >= 0
        ? new PartitionTracker({ index, column: target.columns[index]!, style: spec.style })
        : undefined;
    return { ...base, flow: 'staged-append', tracker };
  }
  const keep =
    target.mode === 'replace' &&
    !plan &&
    !existing!.partitioned &&
    sameColumnNames(existing!.described.columns, target.columns);
  await run(
    keep
      ? `CREATE TABLE ${staging} LIKE ${qualified}`
      : createTableSql(staging, target.columns, target.key, plan),
  );
  const tracker = plan ? new PartitionTracker(plan) : undefined;
  tracker?.assume(null); // createTableSql made the NULL partition
  return { ...base, flow: target.mode, tracker };
}

/** Publishes a loaded write; the load's own transaction is still open when this starts. */
export async function publishWrite(
  connection: mysql.Connection,
  plan: WritePlan,
  columns: readonly Column[],
  rows: number,
  added: readonly PartitionKey[],
): Promise<void> {
  const run = (sql: string) => connection.query(sql);
  const { target, staging, retired } = plan;
  await run('COMMIT');
  if (plan.flow === 'create') {
    await run(`RENAME TABLE ${staging} TO ${target}`);
  } else if (plan.flow === 'replace') {
    await run(`RENAME TABLE ${target} TO ${retired}, ${staging} TO ${target}`);
    // Published: a failed drop leaves only a retired table for the next cleanup.
    await run(`DROP TABLE ${retired}`).catch(() => undefined);
  } else if (plan.flow === 'staged-append') {
    // Empty partitions for the new keys may stay behind should the INSERT fail; rows do not.
    await addPartitions(run, target, plan, added, true);
    const list = columns.map((c) => q(c.name)).join(', ');
    await run('START TRANSACTION');
    const [header] = await connection.query<mysql.ResultSetHeader>(
      `INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staging}`,
    );
    if (header.affectedRows !== rows) {
      throw new AppError(
        'internal',
        `Appended ${header.affectedRows} rows where ${rows} were loaded`,
      );
    }
    await run('COMMIT');
    await run(`DROP TABLE ${staging}`).catch(() => undefined);
  }
}

/**
 * Adds partitions for new keys: all in one statement to a staging table Strata made, one by one
 * to a table that may already cover some keys (“already covered” is then no error).
 */
export async function addPartitions(
  run: Run,
  table: string,
  plan: WritePlan,
  keys: readonly PartitionKey[],
  tolerant: boolean,
): Promise<void> {
  const partitioning = plan.tracker?.plan;
  if (!partitioning || keys.length === 0) return;
  const literal = (text: string) => mysql.escape(text);
  const definitions = keys.map((key) => partitionDefinition(key, partitioning, literal));
  if (!tolerant) {
    await run(`ALTER TABLE ${table} ADD PARTITION (${definitions.join(', ')})`);
    return;
  }
  for (const definition of definitions) {
    await run(`ALTER TABLE ${table} ADD PARTITION (${definition})`).catch((error: unknown) => {
      if (!alreadyCovered.has(Number((error as { errno?: unknown }).errno))) throw error;
    });
  }
}
