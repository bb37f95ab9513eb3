/**
 * The key browser: the keys matching a glob, found with SCAN (never KEYS, which blocks the
 * server), each with its type, TTL, memory use and length fetched for the page in two pipelined
 * round trips. Paged by SCAN cursor (cursor-pager.ts); counted exactly by a full SCAN, or by
 * DBSIZE when the glob is `*`.
 */
import type { DbRun } from './connection.js';
import { CursorPager } from './cursor-pager.js';
import { column, type RedisDataset } from './dataset.js';
import { execPipeline, inChunks, integerOrNull, scanReply } from './replies.js';
import { textOrBytes, type RawRow } from './values.js';

/** Keys SCAN looks at per call: enough to fill a page in a few round trips. */
export const scanCount = 1_000;
const pipelineChunk = 1_000;

const lengthCommand: Record<string, string> = {
  string: 'STRLEN',
  hash: 'HLEN',
  list: 'LLEN',
  set: 'SCARD',
  zset: 'ZCARD',
  stream: 'XLEN',
};

export function keyBrowser(run: DbRun, pattern: string): RedisDataset {
  const pager = new CursorPager<Buffer>(async (cursor, _want, signal) => {
    const reply = await run(
      (redis) => redis.callBuffer('SCAN', cursor, 'MATCH', pattern, 'COUNT', scanCount),
      signal,
    );
    const { cursor: next, items } = scanReply(reply);
    return { items, next: next === '0' ? undefined : next };
  }, '0');
  const describe = (keys: readonly Buffer[], signal?: AbortSignal) =>
    inChunks(keys, pipelineChunk, (chunk) => keyRows(run, chunk, signal));
  return {
    label: `keys matching ${pattern}`,
    schema: {
      kind: 'table',
      key: ['key'],
      columns: [
        column('key', 'text', 'key'),
        column('type', 'text', 'TYPE'),
        column('ttl', 'integer', 'TTL (seconds)', true),
        column('memory', 'integer', 'MEMORY USAGE (bytes)', true),
        column('length', 'integer', 'STRLEN/HLEN/LLEN/SCARD/ZCARD/XLEN', true),
      ],
    },
    read: async (offset, limit, signal) =>
      describe(await pager.read(offset, limit, signal), signal),
    count: (signal) =>
      // DBSIZE is exact and O(1); any other glob has to be scanned to be counted.
      pattern === '*' ? run((redis) => redis.dbsize(), signal) : pager.count(signal),
    all: async (max, signal) => {
      const keys = await pager.all(max, signal);
      return keys && describe(keys, signal);
    },
  };
}

/** One row per key: TYPE, TTL and MEMORY USAGE in one pipeline, the length (by type) in a second. */
async function keyRows(
  run: DbRun,
  keys: readonly Buffer[],
  signal?: AbortSignal,
): Promise<RawRow[]> {
  if (keys.length === 0) return [];
  const first = await run((redis) => {
    const pipeline = redis.pipeline();
    for (const key of keys) {
      pipeline.type(key);
      pipeline.ttl(key);
      pipeline.call('MEMORY', 'USAGE', key);
    }
    return execPipeline(pipeline);
  }, signal);
  const types = keys.map((_, i) =>
    typeof first[i * 3] === 'string' ? String(first[i * 3]) : null,
  );
  const lengths = await run((redis) => {
    const pipeline = redis.pipeline();
    for (const [i, key] of keys.entries()) {
      const command = lengthCommand[types[i] ?? ''];
      // Module types (JSON, time series…) have no common length command; PING keeps the slot.
      if (command) pipeline.call(command, key);
      else pipeline.ping();
    }
    return execPipeline(pipeline);
  }, signal);
  return keys.map((key, i) => {
    const ttl = integerOrNull(first[i * 3 + 1]);
    const type = types[i];
    return [
      textOrBytes(key),
      type ?? null,
      // -1: no expiry; -2: the key went away since SCAN saw it.
      ttl !== null && ttl >= 0 ? ttl : null,
      integerOrNull(first[i * 3 + 2]),
      type && lengthCommand[type] ? integerOrNull(lengths[i]) : null,
    ];
  });
}
