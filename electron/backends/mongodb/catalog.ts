/**
 * Reads what a MongoDB deployment holds: the tree (databases → collections and views, with the
 * server's estimated document counts) and one dataset's description (its kind, and a schema
 * inferred from a sample of its documents).
 */
import type { Document, MongoClient } from 'mongodb';
import { AppError } from '../../../shared/errors.js';
import type { DatasetPath, TreeNode } from '../../../shared/model.js';
import { catalogMaxTimeMS, maxTimeMS, type MongoConfig } from './client.js';
import { describeMongoUrl } from './url.js';
import { inferSchema, type InferredSchema } from './schema-inference.js';

/** MongoDB's own databases, shown only when the connection names one of them. */
const internalDatabases = new Set(['admin', 'local', 'config']);
export const sampleSize = 1_000;
/** Estimated counts asked at once: enough to be quick, few enough not to flood the pool. */
const countConcurrency = 8;

export interface MongoDataset extends InferredSchema {
  database: string;
  collection: string;
  /** listCollections' type: `collection`, `view` or `timeseries`. */
  type: string;
}

/** The databases listDatabases shows the user; undefined when the user may not list them. */
export async function listedDatabases(client: MongoClient): Promise<string[] | undefined> {
  try {
    const result = await client
      .db('admin')
      .admin()
      .listDatabases({ nameOnly: true, authorizedDatabases: true, maxTimeMS: catalogMaxTimeMS });
    return result.databases.map((d) => d.name);
  } catch (error) {
    if ((error as { code?: unknown }).code === 13) return undefined; // Unauthorized
    throw error;
  }
}

/** The tree's databases: the user's own (not MongoDB's internal ones) and the configured one. */
async function databaseNames(client: MongoClient, config: MongoConfig): Promise<string[]> {
  const names = (await listedDatabases(client)) ?? [];
  if (config.database && !names.includes(config.database)) names.push(config.database);
  return names
    .filter((name) => !internalDatabases.has(name) || name === config.database)
    .sort((a, b) => a.localeCompare(b));
}

async function collectionsOf(client: MongoClient, database: string, signal?: AbortSignal) {
  let infos: Array<{ name: string; type?: string | undefined }>;
  try {
    infos = await client
      .db(database)
      .listCollections(
        {},
        { nameOnly: true, authorizedCollections: true, maxTimeMS: catalogMaxTimeMS, signal },
      )
      .toArray();
  } catch (error) {
    // A database the user may see but not list: shown empty rather than failing the whole tree.
    if ((error as { code?: unknown }).code === 13) return [];
    throw error;
  }
  // system.* are the server's (system.views holds view definitions, system.buckets.* time series).
  return infos
    .filter((info) => !info.name.startsWith('system.'))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function mongoTree(
  client: MongoClient,
  config: MongoConfig,
  signal?: AbortSignal,
): Promise<TreeNode[]> {
  const databases = await databaseNames(client, config);
  const nodes: TreeNode[] = [];
  const counts: Array<() => Promise<void>> = [];
  for (const database of databases) {
    const children: TreeNode[] = [];
    for (const info of await collectionsOf(client, database, signal)) {
      const path = [database, info.name];
      const node: TreeNode = {
        id: path.join('.'),
        label: info.name,
        kind: info.type === 'view' ? 'view' : 'table',
        path,
      };
      children.push(node);
      if (info.type === 'view') continue;
      counts.push(async () => {
        // From the collection's metadata, not a scan; a failure (no right to count) leaves none.
        const n = await client
          .db(database)
          .collection(info.name)
          .estimatedDocumentCount({ maxTimeMS: catalogMaxTimeMS })
          .catch(() => undefined);
        if (n !== undefined) Object.assign(node, { rowCount: n, rowCountExact: false });
      });
    }
    nodes.push({ id: database, label: database, kind: 'schema', path: [database], children });
  }
  await runLimited(counts, countConcurrency);
  return nodes;
}

async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** `[database, collection]`, or `[collection]` in the connection's database. */
export function splitPath(path: DatasetPath, config: MongoConfig): [string, string] {
  if (path.length === 2) return [path[0]!, path[1]!];
  if (path.length === 1 && config.database) return [config.database, path[0]!];
  throw new AppError(
    'invalid-input',
    `“${path.join('.')}” is not a MongoDB database.collection name`,
    path.length === 1 ? 'Name the database too, or set one in the connection.' : undefined,
  );
}

export async function mongoLookup(
  client: MongoClient,
  config: MongoConfig,
  path: DatasetPath,
  signal?: AbortSignal,
): Promise<MongoDataset> {
  const [database, collection] = splitPath(path, config);
  const db = client.db(database);
  const [info] = await db
    .listCollections(
      { name: collection },
      { nameOnly: true, authorizedCollections: true, maxTimeMS: catalogMaxTimeMS, signal },
    )
    .toArray();
  if (!info) {
    throw new AppError(
      'not-found',
      `No collection or view “${collection}” in database ${database} at ${describeMongoUrl(config.url, undefined)}`,
      'Run `strata ls` on the connection to see what it holds.',
    );
  }
  // $sample reads a random 1,000 on big collections and all of a small one; sorting the sample
  // by _id makes the columns come out in the same order each time.
  const sample = await db
    .collection(collection)
    .aggregate<Document>([{ $sample: { size: sampleSize } }, { $sort: { _id: 1 } }], {
      maxTimeMS,
      promoteValues: false,
      bsonRegExp: true,
      allowDiskUse: true,
      signal,
    })
    .toArray();
  const kind = info.type === 'view' ? 'view' : 'table';
  return { database, collection, type: info.type ?? 'collection', ...inferSchema(sample, kind) };
}
