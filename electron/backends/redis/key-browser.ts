/**
 * The key browser: the keys matching a glob, found with SCAN (never KEYS, which blocks the
 * server), each with its type, TTL, memory use and length fetched for the whole page at once
 * (key-info.ts). Paged by SCAN cursor (cursor-pager.ts); counted exactly by a full SCAN, or by
 * DBSIZE when the glob is `*`.
 */
import type { DbRun } from './connection.js';
import { CursorPager } from './cursor-pager.js';
import { column, type RedisDataset } from './dataset.js';
import { keyInfo } from './key-info.js';
import { inChunks, scanReply } from './replies.js';
import { textOrBytes, type RawRow } from './values.js';

/** Keys SCAN looks at per call: enough to fill a page in a few round trips. */
export const scanCount = 1_000;
const pipelineChunk = 1_000;

/**
 * SCAN's COUNT for a read that still needs `want` keys: at least `scanCount`, at most 10,000
 * (a few milliseconds of server time per call, so other clients are not held up).
 */
export function scanCountFor(want: number): number {
  return Math.min(Math.max(want, scanCount), 10_000);
}

export function keyBrowser(run: DbRun, pattern: string): RedisDataset {
  const pager = new CursorPager<Buffer>(async (cursor, want, signal) => {
    const count = scanCountFor(want);
    const reply = await run(
      (redis) => redis.callBuffer('SCAN', cursor, 'MATCH', pattern, 'COUNT', count),
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

/** One row per key: its name, then what key-info.ts found about it. */
async function keyRows(
  run: DbRun,
  keys: readonly Buffer[],
  signal?: AbortSignal,
): Promise<RawRow[]> {
  const infos = await keyInfo(run, keys, signal);
  return keys.map((key, i) => {
    const { type, ttl, memory, length } = infos[i]!;
    return [textOrBytes(key), type, ttl, memory, length];
  });
}
