/**
 * Reads PostgreSQL's catalog: the tree (schemas → tables, views, materialised views, with the
 * planner's row estimates) and one dataset's columns and primary key.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column, DatasetPath, TreeNode } from '../../../shared/model.js';
import type { QueryOptions } from '../backend.js';
import type { ServerDataset, SqlEngine } from '../sql/server-engine.js';
import { postgresDialect } from './dialect.js';
import { logicalTypeOfPostgres } from './types.js';

type Query = SqlEngine['query'];
const q = postgresDialect.quoteIdent;

const hiddenSchemas = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

const kinds: Record<string, TreeNode['kind']> = {
  r: 'table',
  p: 'table',
  f: 'table',
  v: 'view',
  m: 'materialized-view',
};

export async function postgresTree(query: Query, options?: QueryOptions): Promise<TreeNode[]> {
  const schemas = await query(
    `SELECT n.nspname FROM pg_namespace n WHERE ${hiddenSchemas} ORDER BY n.nspname`,
    [],
    options,
  );
  // Partitions are left out: their parent (relkind 'p') stands for them.
  const relations = await query(
    `SELECT n.nspname, c.relname, c.relkind, c.reltuples::float8
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND NOT c.relispartition AND ${hiddenSchemas}
     ORDER BY n.nspname, c.relname`,
    [],
    options,
  );
  const bySchema = new Map<string, TreeNode[]>();
  for (const [schema] of schemas) bySchema.set(String(schema), []);
  for (const [schema, name, relkind, reltuples] of relations) {
    const path = [String(schema), String(name)];
    const node: TreeNode = {
      id: path.join('.'),
      label: path[1]!,
      kind: kinds[String(relkind)] ?? 'table',
      path,
    };
    // reltuples is the planner's estimate, -1 before the first VACUUM/ANALYZE (unknown).
    if (relkind !== 'v' && typeof reltuples === 'number' && reltuples >= 0) {
      node.rowCount = Math.round(reltuples);
      node.rowCountExact = false;
    }
    bySchema.get(path[0]!)?.push(node);
  }
  return [...bySchema].map(([schema, children]) => ({
    id: schema,
    label: schema,
    kind: 'schema',
    path: [schema],
    children,
  }));
}

export async function postgresLookup(
  query: Query,
  path: DatasetPath,
  database: string,
  options?: QueryOptions,
): Promise<ServerDataset> {
  const [schema, name] = path.length === 1 ? ['public', path[0]!] : [path[0]!, path[1]];
  if (path.length > 2 || name === undefined) {
    throw new AppError(
      'invalid-input',
      `“${path.join('.')}” is not a PostgreSQL schema.table name`,
    );
  }
  const found = await query(
    `SELECT c.oid::int8::text, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`,
    [schema, name],
    options,
  );
  if (found.length === 0) {
    throw new AppError(
      'not-found',
      `No table or view “${schema}.${name}” in database ${database}`,
      'Run `strata ls` on the connection to see what it holds.',
    );
  }
  const [oid, relkind] = found[0]!.map(String) as [string, string];
  // A domain is looked through to its base type, so a domain over int4 is still an integer.
  const rows = await query(
    `SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
            coalesce(bt.typname, t.typname), coalesce(bt.typcategory, t.typcategory),
            coalesce((SELECT k.n FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(att, n)
                      WHERE k.att = a.attnum), 0)
     FROM pg_attribute a
     JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
     LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
     WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [oid],
    options,
  );
  const columns: Column[] = rows.map(([attname, nativeType, notnull, typname, category]) => ({
    name: String(attname),
    type: logicalTypeOfPostgres(String(typname), String(category)),
    nativeType: String(nativeType),
    nullable: notnull !== true,
  }));
  const key = rows
    .filter((r) => Number(r[5]) > 0)
    .sort((a, b) => Number(a[5]) - Number(b[5]))
    .map((r) => String(r[0]));
  const stored = relkind !== 'v' && relkind !== 'f' && relkind !== 'p';
  return {
    qualified: `${q(schema)}.${q(name)}`,
    described: { columns, key, kind: relkind === 'v' || relkind === 'm' ? 'view' : 'table' },
    tieBreak: tieBreakFor(columns, key, stored),
    ...(key.length === 1 ? { keysetColumn: key[0]! } : {}),
  };
}

/**
 * The key when there is one; otherwise the physical row id for stored relations; otherwise
 * (plain views) every column that has an ordering, so duplicates are the only ties left.
 */
function tieBreakFor(
  columns: readonly Column[],
  key: readonly string[],
  stored: boolean,
): string[] {
  if (key.length > 0) return key.map(q);
  if (stored) return ['ctid'];
  return columns.filter((c) => c.type !== 'json' && c.type !== 'unknown').map((c) => q(c.name));
}
