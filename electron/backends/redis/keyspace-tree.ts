/**
 * The tree: one schema node per logical database that holds keys (from INFO keyspace, plus the
 * configured one even when empty), counted exactly (DBSIZE's number). Under each: the key browser
 * over all keys, then one node per namespace found in a bounded SCAN sample (up to 10,000 keys),
 * with its size estimated from the sample, and, where the sampled keys of a namespace are all
 * hashes, that namespace as one table (one row per hash).
 */
import type { TreeNode } from '../../../shared/model.js';
import type { DbRun, RedisConnection } from './connection.js';
import { runIn } from './connection.js';
import { scanCount } from './key-browser.js';
import { groupNamespaces, type Namespace } from './namespaces.js';
import { dbLabel, redisPath } from './paths.js';
import { execPipeline, scanReply } from './replies.js';
import { escapeGlob } from './values.js';

const sampleLimit = 10_000;
/** Keys whose TYPE is checked per namespace to decide whether it is a table of hashes. */
const typeProbe = 20;

export async function keyspaceTree(
  connection: RedisConnection,
  signal?: AbortSignal,
): Promise<TreeNode[]> {
  const home = connection.defaultDb;
  const info = await connection.run(home, (redis) => redis.info('keyspace'), signal);
  const sizes = parseKeyspace(info);
  if (!sizes.has(home)) sizes.set(home, 0);
  const pattern = connection.config.keyPattern ?? '*';
  const dbs = [...sizes.keys()].sort((a, b) => a - b);
  return Promise.all(
    dbs.map(async (db) => {
      const size = sizes.get(db)!;
      const run = runIn(connection, db);
      const children = size > 0 ? await dbChildren(run, db, size, pattern, signal) : [];
      const node: TreeNode = {
        id: dbLabel(db),
        label: dbLabel(db),
        kind: 'schema',
        path: [dbLabel(db)],
        rowCount: size,
        rowCountExact: true,
        children,
      };
      return node;
    }),
  );
}

/** `db0:keys=12,expires=0,avg_ttl=0` lines → database → key count. */
export function parseKeyspace(info: string): Map<number, number> {
  const sizes = new Map<number, number>();
  for (const match of info.matchAll(/^db(\d+):keys=(\d+)/gm)) {
    sizes.set(Number(match[1]), Number(match[2]));
  }
  return sizes;
}

async function dbChildren(
  run: DbRun,
  db: number,
  size: number,
  pattern: string,
  signal?: AbortSignal,
): Promise<TreeNode[]> {
  const sample = await sampleKeys(run, pattern, signal);
  // A complete sample counts exactly; a partial one is scaled up to the database's size.
  const scale = sample.complete ? 1 : size / Math.max(1, sample.keys.length);
  const namespaces = groupNamespaces(sample.keys);
  const hashTables = await allHashes(
    run,
    namespaces.filter((n) => !n.hasChildren),
    signal,
  );
  const nodes: TreeNode[] = [
    keysNode(db, pattern, pattern === '*' ? size : sample.keys.length * scale, pattern === '*'),
  ];
  for (const ns of namespaces) {
    const estimate = ns.keys.length * scale;
    nodes.push(keysNode(db, `${escapeGlob(ns.prefix)}*`, estimate, false));
    if (hashTables.has(ns.prefix)) {
      const path = redisPath(db, 'hashes', ns.prefix);
      nodes.push({
        id: path.join('\u0000'),
        label: `${ns.prefix}* as a table`,
        kind: 'table',
        path,
        rowCount: Math.round(estimate),
        rowCountExact: false,
      });
    }
  }
  return nodes;
}

function keysNode(db: number, pattern: string, count: number, exact: boolean): TreeNode {
  const path = redisPath(db, 'keys', pattern);
  return {
    id: path.join('\u0000'),
    label: pattern === '*' ? '* (all keys)' : pattern,
    kind: 'keyspace',
    path,
    rowCount: Math.round(count),
    rowCountExact: exact,
  };
}

async function sampleKeys(
  run: DbRun,
  pattern: string,
  signal?: AbortSignal,
): Promise<{ keys: string[]; complete: boolean }> {
  // A Set, since SCAN may return a key twice while the keyspace is being resized.
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const reply = await run(
      (redis) => redis.callBuffer('SCAN', cursor, 'MATCH', pattern, 'COUNT', scanCount),
      signal,
    );
    const batch = scanReply(reply);
    for (const key of batch.items) keys.add(key.toString('utf8'));
    cursor = batch.cursor;
  } while (cursor !== '0' && keys.size < sampleLimit);
  return { keys: [...keys], complete: cursor === '0' };
}

/** The prefixes of leaf namespaces whose probed keys are all hashes. */
async function allHashes(
  run: DbRun,
  leaves: readonly Namespace[],
  signal?: AbortSignal,
): Promise<Set<string>> {
  const probes = leaves.map((ns) => ns.keys.slice(0, typeProbe));
  if (probes.length === 0) return new Set();
  const types = await run((redis) => {
    const pipeline = redis.pipeline();
    for (const keys of probes) for (const key of keys) pipeline.type(key);
    return execPipeline(pipeline);
  }, signal);
  const found = new Set<string>();
  let at = 0;
  for (const [i, keys] of probes.entries()) {
    const slice = types.slice(at, at + keys.length);
    at += keys.length;
    if (slice.length > 0 && slice.every((t) => t === 'hash')) found.add(leaves[i]!.prefix);
  }
  return found;
}
