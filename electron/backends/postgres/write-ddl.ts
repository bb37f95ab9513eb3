/**
 * The tables a PostgreSQL write creates: column types from logical types, the key as PRIMARY
 * KEY, and declarative partitioning (LIST by value, RANGE by month; see sql/partition-keys.ts).
 */
import type { Column } from '../../../shared/model.js';
import { monthBounds, type PartitionKey, type PartitionPlan } from '../sql/partition-keys.js';
import { declaredDecimal, declaredWithZone } from '../sql/write-target.js';
import { postgresDialect } from './dialect.js';

const q = postgresDialect.quoteIdent;
/** PostgreSQL cuts identifiers longer than this many bytes (NAMEDATALEN - 1). */
const maxIdentifierBytes = 63;

/**
 * `integer` becomes bigint: the pipeline calls a column integer when its values fit 2^53, which
 * int4 does not. An undeclared decimal is `numeric` without a scale, the one type that stores
 * every decimal exactly as written; a declared one keeps its precision. A timestamp takes a time
 * zone only when declared with one (values with an offset then keep it); see write-values.ts.
 */
export function postgresColumnType(column: Column): string {
  switch (column.type) {
    case 'integer':
    case 'bigint':
      return 'bigint';
    case 'decimal': {
      const declared = declaredDecimal(column.nativeType);
      return declared ? `numeric(${declared.precision},${declared.scale})` : 'numeric';
    }
    case 'float':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return declaredWithZone(column.nativeType) ? 'timestamptz' : 'timestamp';
    case 'json':
      return 'jsonb';
    case 'blob':
      return 'bytea';
    case 'text':
    case 'unknown':
      return 'text';
  }
}

/**
 * `CREATE TABLE`, partitioned when there is a plan. PostgreSQL requires a partitioned table's
 * primary key to contain the partition column, so it is added to the key: the key is then unique
 * within each partition value, which is what the store can enforce (describe() shows the key).
 */
export function createTableSql(
  qualified: string,
  columns: readonly Column[],
  key: readonly string[],
  plan: PartitionPlan | undefined,
): string {
  const fullKey =
    plan && key.length > 0 && !key.includes(plan.column.name) ? [...key, plan.column.name] : key;
  const keySet = new Set(fullKey);
  const defs = columns.map(
    (c) =>
      `${q(c.name)} ${postgresColumnType(c)}${keySet.has(c.name) || !c.nullable ? ' NOT NULL' : ''}`,
  );
  if (fullKey.length > 0) defs.push(`PRIMARY KEY (${fullKey.map(q).join(', ')})`);
  const partitioning = plan
    ? ` PARTITION BY ${plan.style === 'month' ? 'RANGE' : 'LIST'} (${q(plan.column.name)})`
    : '';
  return `CREATE TABLE ${qualified} (${defs.join(', ')})${partitioning}`;
}

/** One partition of `parent` for `key`: its values, its month, or (NULL months) the default. */
export function createPartitionSql(
  parent: string,
  partition: string,
  key: PartitionKey,
  plan: PartitionPlan,
  literal: (text: string) => string,
): string {
  let bounds: string;
  if (plan.style === 'list') {
    bounds = `FOR VALUES IN (${key.value === null ? 'NULL' : literal(key.value)})`;
  } else if (key.value === null) {
    // A RANGE partition cannot hold NULL; the default partition is where PostgreSQL puts it.
    bounds = 'DEFAULT';
  } else {
    const [from, to] = monthBounds(key.value);
    bounds = `FOR VALUES FROM (${literal(from)}) TO (${literal(to)})`;
  }
  return `CREATE TABLE ${partition} PARTITION OF ${parent} ${bounds}`;
}

/** `<table>_<suffix>`, the table part shortened so the whole fits PostgreSQL's 63 bytes. */
export function partitionName(table: string, suffix: string): string {
  const room = maxIdentifierBytes - Buffer.byteLength(suffix) - 1;
  let base = table;
  while (Buffer.byteLength(base) > room) base = base.slice(0, -1);
  return `${base}_${suffix}`;
}
