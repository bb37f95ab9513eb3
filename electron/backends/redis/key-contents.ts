/**
 * One key's contents as a dataset, shaped by its type: a string is one `value`; a hash is
 * (field, value) paged by HSCAN; a list is (index, value) by LRANGE; a set is (member) by SSCAN;
 * a sorted set is (member, score) by ZRANGE … WITHSCORES, in score order as Redis keeps it; a
 * stream is in stream.ts. Values are read as bytes: valid UTF-8 shows as text, the rest as blobs.
 */
import { AppError } from '../../../shared/errors.js';
import type { DbRun } from './connection.js';
import { CursorPager } from './cursor-pager.js';
import { column, type RedisDataset } from './dataset.js';
import { integerOrNull, pairs, scanReply } from './replies.js';
import { streamContents } from './stream.js';
import { scoreValue, textOrBytes, type RawRow } from './values.js';

/** A string's first bytes; the value viewer shows at most 1 MiB of text anyway. */
const maxStringBytes = 4 << 20;
const rangeBatch = 1_000;

export async function keyContents(
  run: DbRun,
  key: string,
  signal?: AbortSignal,
): Promise<RedisDataset> {
  const type = await run((redis) => redis.type(key), signal);
  const label = `key ${key} (${type})`;
  const counted = (command: string) => (countSignal?: AbortSignal) =>
    run(async (redis) => integerOrNull(await redis.call(command, key)) ?? 0, countSignal);
  switch (type) {
    case 'none':
      throw new AppError(
        'not-found',
        `No key “${key}” in this database`,
        'It may have expired or been deleted; refresh the key browser.',
      );
    case 'string':
      return {
        label,
        schema: { kind: 'table', key: [], columns: [column('value', 'text', 'string', true)] },
        read: async (offset, limit, readSignal) => {
          if (offset > 0 || limit < 1) return [];
          const value = await run(
            (redis) => redis.getrangeBuffer(key, 0, maxStringBytes - 1),
            readSignal,
          );
          return [[textOrBytes(value)]];
        },
        count: async () => 1,
        all: async (_max, allSignal) => [
          [
            textOrBytes(
              await run((redis) => redis.getrangeBuffer(key, 0, maxStringBytes - 1), allSignal),
            ),
          ],
        ],
      };
    case 'hash':
      return scanned(label, ['field', 'value'], counted('HLEN'), (cursor, readSignal) =>
        run(
          (redis) => redis.callBuffer('HSCAN', key, cursor, 'COUNT', rangeBatch),
          readSignal,
        ).then((reply) => {
          const { cursor: next, items } = scanReply(reply);
          return { next, rows: pairs(items).map(([f, v]) => [textOrBytes(f), textOrBytes(v)]) };
        }),
      );
    case 'set':
      return scanned(label, ['member'], counted('SCARD'), (cursor, readSignal) =>
        run(
          (redis) => redis.callBuffer('SSCAN', key, cursor, 'COUNT', rangeBatch),
          readSignal,
        ).then((reply) => {
          const { cursor: next, items } = scanReply(reply);
          return { next, rows: items.map((m) => [textOrBytes(m)]) };
        }),
      );
    case 'list':
      return ranged(label, counted('LLEN'), {
        columns: [
          column('index', 'integer', 'list index'),
          column('value', 'text', 'list element', true),
        ],
        key: ['index'],
        read: async (start, stop, readSignal) => {
          const items = await run((redis) => redis.lrangeBuffer(key, start, stop), readSignal);
          return items.map((item, i) => [start + i, textOrBytes(item)]);
        },
      });
    case 'zset':
      return ranged(label, counted('ZCARD'), {
        columns: [column('member', 'text', 'sorted set member'), column('score', 'float', 'score')],
        key: ['member'],
        read: async (start, stop, readSignal) => {
          const reply = await run(
            (redis) => redis.callBuffer('ZRANGE', key, start, stop, 'WITHSCORES'),
            readSignal,
          );
          return pairs(reply).map(([m, s]) => [textOrBytes(m), scoreValue(s.toString())]);
        },
      });
    case 'stream':
      return streamContents(run, key, label, signal);
    default:
      throw new AppError(
        'invalid-input',
        `Key “${key}” holds a ${type}, which Strata cannot show yet`,
        'Module types (JSON, time series, …) are listed in the key browser only.',
      );
  }
}

type ScanStep = (cursor: string, signal?: AbortSignal) => Promise<{ next: string; rows: RawRow[] }>;

/** Hash fields or set members, paged by their SCAN cursor. */
function scanned(
  label: string,
  names: readonly string[],
  count: RedisDataset['count'],
  step: ScanStep,
): RedisDataset {
  const pager = new CursorPager<RawRow>(async (cursor, _want, signal) => {
    const { next, rows } = await step(cursor, signal);
    return { items: rows, next: next === '0' ? undefined : next };
  }, '0');
  const [first, second] = names;
  return {
    label,
    schema: {
      kind: 'table',
      key: [first!],
      columns: [
        column(first!, 'text', label.includes('(hash)') ? 'hash field' : 'set member'),
        ...(second ? [column(second, 'text', 'hash value', true)] : []),
      ],
    },
    read: (offset, limit, signal) => pager.read(offset, limit, signal),
    count,
    all: (max, signal) => pager.all(max, signal),
  };
}

interface RangeRead {
  columns: RedisDataset['schema']['columns'];
  key: string[];
  /** Items `start`..`stop` inclusive, as Redis's range commands count. */
  read(start: number, stop: number, signal?: AbortSignal): Promise<RawRow[]>;
}

/** Lists and sorted sets: addressable by index, so any page is one round trip. */
function ranged(label: string, count: RedisDataset['count'], range: RangeRead): RedisDataset {
  const read = async (offset: number, limit: number, signal?: AbortSignal) => {
    const rows: RawRow[] = [];
    for (let start = offset; rows.length < limit; start += rangeBatch) {
      const want = Math.min(rangeBatch, limit - rows.length);
      const batch = await range.read(start, start + want - 1, signal);
      rows.push(...batch);
      if (batch.length < want) break;
    }
    return rows;
  };
  return {
    label,
    schema: { kind: 'table', key: range.key, columns: range.columns },
    read,
    count,
    all: async (max, signal) => {
      if ((await count(signal)) > max) return undefined;
      return read(0, max, signal);
    },
  };
}
