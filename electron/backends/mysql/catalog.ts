/**
 * Reads MySQL/MariaDB's information_schema: the tree (databases → tables and views, with
 * InnoDB's row estimates) and one dataset's columns and primary key.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column, DatasetPath, TreeNode } from '../../../shared/model.js';
import type { QueryOptions } from '../backend.js';
import type { ServerDataset, SqlEngine } from '../sql/server-engine.js';
import { mysqlDialect } from './dialect.js';
import { logicalTypeOfMysql } from './types.js';

type Query = SqlEngine['query'];
const q = mysqlDialect.quoteIdent;

const systemDatabases = `('information_schema', 'mysql', 'performance_schema', 'sys')`;

export async function mysqlTree(query: Query, options?: QueryOptions): Promise<TreeNode[]> {
  const databases = await query(
    `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA
     WHERE SCHEMA_NAME NOT IN ${systemDatabases} ORDER BY SCHEMA_NAME`,
    [],
    options,
  );
  const tables = await query(
    `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES
     WHERE TABLE_SCHEMA NOT IN ${systemDatabases} ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    [],
    options,
  );
  const byDatabase = new Map<string, TreeNode[]>();
  for (const [database] of databases) byDatabase.set(String(database), []);
  for (const [database, name, type, rows] of tables) {
    const path = [String(database), String(name)];
    const isView = String(type).toUpperCase().includes('VIEW');
    const node: TreeNode = {
      id: path.join('.'),
      label: path[1]!,
      kind: isView ? 'view' : 'table',
      path,
    };
    // TABLE_ROWS is InnoDB's sampled estimate (exact only for MyISAM), so it is never labelled exact.
    if (!isView && rows !== null && rows !== undefined) {
      node.rowCount = Number(rows);
      node.rowCountExact = false;
    }
    byDatabase.get(path[0]!)?.push(node);
  }
  return [...byDatabase].map(([database, children]) => ({
    id: database,
    label: database,
    kind: 'schema',
    path: [database],
    children,
  }));
}

export async function mysqlLookup(
  query: Query,
  path: DatasetPath,
  defaultDatabase: string | undefined,
  options?: QueryOptions,
): Promise<ServerDataset> {
  const [database, name] = path.length === 1 ? [defaultDatabase, path[0]!] : [path[0]!, path[1]];
  if (path.length > 2 || name === undefined || database === undefined) {
    throw new AppError('invalid-input', `“${path.join('.')}” is not a database.table name`);
  }
  const found = await query(
    `SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [database, name],
    options,
  );
  if (found.length === 0) {
    throw new AppError(
      'not-found',
      `No table or view “${database}.${name}”`,
      'Run `strata ls` on the connection to see what it holds.',
    );
  }
  const isView = String(found[0]![0]).toUpperCase().includes('VIEW');
  const rows = await query(
    `SELECT c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, c.IS_NULLABLE, k.ORDINAL_POSITION
     FROM information_schema.COLUMNS c
     LEFT JOIN information_schema.KEY_COLUMN_USAGE k
       ON k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
      AND k.COLUMN_NAME = c.COLUMN_NAME AND k.CONSTRAINT_NAME = 'PRIMARY'
     WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?
     ORDER BY c.ORDINAL_POSITION`,
    [database, name],
    options,
  );
  const columns: Column[] = rows.map(([columnName, columnType, dataType, nullable]) => ({
    name: String(columnName),
    type: logicalTypeOfMysql(String(dataType), String(columnType)),
    nativeType: String(columnType),
    nullable: String(nullable).toUpperCase() === 'YES',
  }));
  const key = rows
    .filter((r) => r[4] !== null && r[4] !== undefined)
    .sort((a, b) => Number(a[4]) - Number(b[4]))
    .map((r) => String(r[0]));
  // MySQL has no row id to break ties with: without a key, every column (but JSON) orders the
  // rows, so the only ties left are duplicate rows, which look the same whichever comes first.
  const tieBreak =
    key.length > 0 ? key.map(q) : columns.filter((c) => c.type !== 'json').map((c) => q(c.name));
  return {
    qualified: `${q(database)}.${q(name)}`,
    described: { columns, key, kind: isView ? 'view' : 'table' },
    tieBreak,
    ...(key.length === 1 ? { keysetColumn: key[0]! } : {}),
  };
}
