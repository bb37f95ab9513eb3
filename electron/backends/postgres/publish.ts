/**
 * Where a PostgreSQL write puts its rows, and how it makes them the target's at commit. Runs
 * inside the session's transaction, so every statement here — the staging table, partitions,
 * the drop and renames — becomes visible together at COMMIT, or never.
 *
 * - create: a staging table, renamed to the target at publish.
 * - replace: a staging table, built like the old one (`LIKE … INCLUDING ALL`: types, defaults,
 *   constraints, indexes, comments) when the upload has the same columns, otherwise from the
 *   upload's types; at publish the old table is dropped — refused, not cascaded, if views depend
 *   on it — and the staging table renamed into its place, its indexes renamed to match.
 * - append: straight into the target.
 */
import { AppError } from '../../../shared/errors.js';
import { partitionPlan, type PartitionPlan } from '../sql/partition-keys.js';
import {
  checkAppendColumns,
  sameColumnNames,
  stagingPrefix,
  writeId,
} from '../sql/write-target.js';
import type { WriteTarget } from '../writer.js';
import { postgresDialect } from './dialect.js';
import {
  findRelation,
  indexes,
  leftoverStagingTables,
  ownedSequences,
  type ExistingRelation,
  type RowQuery,
} from './write-catalog.js';
import { createTableSql, partitionName } from './write-ddl.js';

const q = postgresDialect.quoteIdent;

export interface Publish {
  schema: string;
  /** The qualified table rows are copied into. */
  into: string;
  appending: boolean;
  /** How rows are partitioned as they arrive, when they are. */
  partitioning: PartitionPlan | undefined;
  /** The table name new partitions are named after. */
  partitionBase: string;
  partitionCreated(name: string, suffix: string): void;
  /** The statements that publish, run just before COMMIT. */
  steps(query: RowQuery): Promise<string[]>;
  /** A clearer error for what publishing can run into. */
  explain(error: AppError): AppError;
}

export async function preparePublish(
  query: RowQuery,
  target: WriteTarget,
  plan: PartitionPlan | undefined,
  database: string,
): Promise<Publish> {
  const [schema, name] = splitPath(target.path);
  for (const leftover of await leftoverStagingTables(query, schema)) {
    await query(`DROP TABLE IF EXISTS ${q(schema)}.${q(leftover)}`);
  }
  const existing = await findRelation(query, schema, name, database);
  const where = `“${schema}.${name}”`;
  const qualified = `${q(schema)}.${q(name)}`;
  if (target.mode === 'create' && existing) {
    throw new AppError(
      'invalid-input',
      `${where} already exists`,
      'Append to it, replace it, or choose another name.',
    );
  }
  if (target.mode !== 'create') {
    if (!existing)
      throw new AppError(
        'not-found',
        `No table ${where} in database ${database}`,
        'Create it instead.',
      );
    if (existing.relkind !== 'r' && existing.relkind !== 'p') {
      throw new AppError('invalid-input', `${where} is not a table`);
    }
  }
  const explain = (error: AppError) => explainPublishError(error, where);
  if (target.mode === 'append') {
    checkAppendColumns(existing!.described, target.columns, where);
    return {
      schema,
      into: qualified,
      appending: true,
      partitioning: appendPartitioning(existing!, target),
      partitionBase: name,
      partitionCreated: () => undefined,
      steps: async () => [],
      explain,
    };
  }
  const staging = stagingPrefix + writeId();
  const into = `${q(schema)}.${q(staging)}`;
  const keep =
    target.mode === 'replace' &&
    !plan &&
    existing!.relkind === 'r' &&
    sameColumnNames(existing!.described.columns, target.columns);
  await query(
    keep
      ? `CREATE TABLE ${into} (LIKE ${qualified} INCLUDING ALL)`
      : createTableSql(into, target.columns, target.key, plan),
  );
  const partitions: Array<{ name: string; suffix: string }> = [];
  return {
    schema,
    into,
    appending: false,
    partitioning: plan,
    partitionBase: staging,
    partitionCreated: (partition, suffix) => partitions.push({ name: partition, suffix }),
    steps: async (run) => {
      const steps: string[] = [];
      if (target.mode === 'replace') {
        // A serial column's sequence belongs to the old table and would be dropped with it,
        // though the staging table's defaults (copied by LIKE) still use it: hand it over.
        if (keep) {
          for (const { sequence, column } of await ownedSequences(run, existing!.oid)) {
            steps.push(`ALTER SEQUENCE ${sequence} OWNED BY ${into}.${q(column)}`);
          }
        }
        steps.push(`DROP TABLE ${qualified}`);
      }
      steps.push(`ALTER TABLE ${into} RENAME TO ${q(name)}`);
      // Copied indexes get their old names back (free once the old table is dropped); others
      // are named after the table, as PostgreSQL would have named them.
      const originals = keep ? await indexes(run, schema, name) : [];
      const rename = async (table: string, renamedTable: string) => {
        for (const index of await indexes(run, schema, table)) {
          const original = originals.find((o) => o.signature === index.signature);
          if (original) originals.splice(originals.indexOf(original), 1);
          const renamed =
            original?.name ??
            (index.name.startsWith(table)
              ? partitionName(renamedTable, index.name.slice(table.length + 1))
              : undefined);
          if (renamed)
            steps.push(`ALTER INDEX ${q(schema)}.${q(index.name)} RENAME TO ${q(renamed)}`);
        }
      };
      await rename(staging, name);
      for (const partition of partitions) {
        const renamed = partitionName(name, partition.suffix);
        steps.push(`ALTER TABLE ${q(schema)}.${q(partition.name)} RENAME TO ${q(renamed)}`);
        await rename(partition.name, renamed);
      }
      return steps;
    },
    explain,
  };
}

/**
 * Appending to a table partitioned by one column that the upload writes, new keys get new
 * partitions the same way a created table's do: LIST by value, RANGE by month for dates.
 * Other partitionings (several columns, RANGE on numbers, HASH) are left to the table: rows
 * with no partition to go to make the COPY fail, and nothing is written.
 */
function appendPartitioning(
  existing: ExistingRelation,
  target: WriteTarget,
): PartitionPlan | undefined {
  const partitioned = existing.partitioned;
  if (!partitioned || !target.columns.some((c) => c.name === partitioned.column)) return undefined;
  let plan: PartitionPlan | undefined;
  try {
    plan = partitionPlan(target.columns, [partitioned.column], 'PostgreSQL');
  } catch {
    return undefined;
  }
  if (!plan) return undefined;
  if (partitioned.strategy === 'list') return { ...plan, style: 'list' };
  return plan.style === 'month' ? plan : undefined;
}

function explainPublishError(error: AppError, where: string): AppError {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (code === '2BP01') {
    return new AppError(
      'invalid-input',
      `Other objects (views, foreign keys) depend on ${where}; replacing it would drop them`,
      'Drop or change what depends on it first, or append to it instead.',
      { cause: error },
    );
  }
  if (code === '55P03') {
    return new AppError(
      'locked',
      `${where} is in use by another session`,
      'Try again when its queries end.',
      { cause: error },
    );
  }
  return error;
}

function splitPath(path: readonly string[]): [string, string] {
  const [schema, name] = path.length === 1 ? ['public', path[0]!] : [path[0]!, path[1]];
  if (path.length > 2 || name === undefined) {
    throw new AppError(
      'invalid-input',
      `“${path.join('.')}” is not a PostgreSQL schema.table name`,
    );
  }
  return [schema, name];
}
