/**
 * The tables a MariaDB/MySQL write creates: column types from logical types, the key as PRIMARY
 * KEY, and LIST partitioning (by value, or by month for dates; see sql/partition-keys.ts).
 */
import type { Column } from '../../../shared/model.js';
import type { PartitionKey, PartitionPlan } from '../sql/partition-keys.js';
import { declaredDecimal } from '../sql/write-target.js';
import { mysqlDialect } from './dialect.js';

const q = mysqlDialect.quoteIdent;

/**
 * `integer` becomes BIGINT (the pipeline's integers fit 2^53, not INT's 2^31). An undeclared
 * decimal is DECIMAL(38,10): MariaDB has no unbounded decimal, and this holds every amount a
 * spreadsheet does; a declared one keeps its precision. Timestamps are DATETIME(6): no time zone
 * conversion on the way in or out, microseconds kept. Text and blobs are LONG* unless the column
 * is in the key or the partitioning, which MariaDB only allows on bounded types (VARCHAR(255),
 * 1,020 bytes in utf8mb4, within InnoDB's 3,072-byte key limit).
 */
export function mysqlColumnType(column: Column, indexed: boolean): string {
  switch (column.type) {
    case 'integer':
    case 'bigint':
      return 'BIGINT';
    case 'decimal': {
      const declared = declaredDecimal(column.nativeType);
      return declared && declared.precision <= 65 && declared.scale <= 30
        ? `DECIMAL(${declared.precision},${declared.scale})`
        : 'DECIMAL(38,10)';
    }
    case 'float':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'DATETIME(6)';
    case 'json':
      return indexed ? 'VARCHAR(255)' : 'JSON';
    case 'blob':
      return indexed ? 'VARBINARY(255)' : 'LONGBLOB';
    case 'text':
    case 'unknown':
      return indexed ? 'VARCHAR(255)' : 'LONGTEXT';
  }
}

/**
 * `CREATE TABLE` (InnoDB, for transactions), partitioned when there is a plan. MariaDB wants the
 * partition column in every unique key, so it joins the primary key (unique per partition then,
 * which describe() shows). A partitioned table starts with the partition for NULL, because LIST
 * partitioning needs at least one; the rest are added as their keys arrive.
 */
export function createTableSql(
  qualified: string,
  columns: readonly Column[],
  key: readonly string[],
  plan: PartitionPlan | undefined,
): string {
  const partitionColumn = plan?.column.name;
  const fullKey =
    partitionColumn && key.length > 0 && !key.includes(partitionColumn)
      ? [...key, partitionColumn]
      : key;
  const indexed = new Set([...fullKey, ...(partitionColumn ? [partitionColumn] : [])]);
  const defs = columns.map((c) => {
    const notNull = fullKey.includes(c.name) || !c.nullable ? ' NOT NULL' : '';
    return `${q(c.name)} ${mysqlColumnType(c, indexed.has(c.name))}${notNull}`;
  });
  if (fullKey.length > 0) defs.push(`PRIMARY KEY (${fullKey.map(q).join(', ')})`);
  const partitioning = plan
    ? ` PARTITION BY ${partitionExpression(plan)} (PARTITION ${q('p_null')} VALUES IN (NULL))`
    : '';
  return `CREATE TABLE ${qualified} (${defs.join(', ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4${partitioning}`;
}

/** LIST COLUMNS on the column itself, or LIST on its month as a number (202403). */
function partitionExpression(plan: PartitionPlan): string {
  const column = q(plan.column.name);
  return plan.style === 'month'
    ? `LIST (EXTRACT(YEAR_MONTH FROM ${column}))`
    : `LIST COLUMNS (${column})`;
}

/** The partition definition for one key; `literal` quotes text the connection's way. */
export function partitionDefinition(
  key: PartitionKey,
  plan: PartitionPlan,
  literal: (text: string) => string,
): string {
  const name = q(`p_${key.suffix}`);
  if (key.value === null) return `PARTITION ${name} VALUES IN (NULL)`;
  let value: string;
  if (plan.style === 'month') value = key.value.replace('-', '');
  else if (plan.column.type === 'boolean') value = key.value === 'true' ? '1' : '0';
  else if (/^(integer|bigint)$/.test(plan.column.type) && /^-?\d+$/.test(key.value)) {
    value = key.value;
  } else value = literal(key.value);
  return `PARTITION ${name} VALUES IN (${value})`;
}
