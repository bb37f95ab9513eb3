/**
 * A set of hashes under one prefix viewed as one table: one row per key, a `key` column holding
 * the key without the prefix (the dataset's name already says it, and `user:` + `42` reads as
 * row 42), then one column per field. Redis has no schema, so the fields and their types come
 * from a sample of up to 200 keys; a field seen in only some keys is nullable. Rows are paged by
 * SCAN … TYPE hash and each page is fetched with pipelined HGETALLs.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import type { DbRun } from './connection.js';
import { CursorPager } from './cursor-pager.js';
import { column, type RedisDataset } from './dataset.js';
import { scanCountFor } from './key-browser.js';
import { execPipeline, inChunks, pairs, scanReply } from './replies.js';
import { escapeGlob, inferType, textOrBytes, typedValue, type RawRow } from './values.js';

const sampleSize = 200;
const pipelineChunk = 500;

export async function hashTable(
  run: DbRun,
  prefix: string,
  signal?: AbortSignal,
): Promise<RedisDataset> {
  const match = `${escapeGlob(prefix)}*`;
  const pager = new CursorPager<Buffer>(async (cursor, want, batchSignal) => {
    const count = scanCountFor(want);
    const reply = await run(
      (redis) => redis.callBuffer('SCAN', cursor, 'MATCH', match, 'COUNT', count, 'TYPE', 'hash'),
      batchSignal,
    );
    const { cursor: next, items } = scanReply(reply);
    return { items, next: next === '0' ? undefined : next };
  }, '0');
  const fetch = (keys: readonly Buffer[], fetchSignal?: AbortSignal) =>
    inChunks(keys, pipelineChunk, (chunk) => hashes(run, chunk, fetchSignal));

  const sampleKeys = await pager.read(0, sampleSize, signal);
  if (sampleKeys.length === 0) {
    throw new AppError(
      'not-found',
      `No hashes under the prefix “${prefix}”`,
      'Open the key browser on this prefix to see what its keys are.',
    );
  }
  const sample = await fetch(sampleKeys, signal);
  const prefixBytes = Buffer.byteLength(prefix);
  const suffix = (key: Buffer) => textOrBytes(key.subarray(prefixBytes));
  const columns = sampledColumns(sample, sampleKeys.map(suffix));
  const fieldIndex = new Map(columns.slice(1).map((c, i) => [c.name, i + 1]));
  const types = columns.map((c) => c.type);

  const rows = (keys: readonly Buffer[], fields: ReadonlyArray<Array<[Buffer, Buffer]>>) =>
    keys.map((key, k) => {
      const row: RawRow = new Array<RawRow[number]>(columns.length).fill(null);
      row[0] = typedValue(suffix(key), types[0]!);
      for (const [name, value] of fields[k] ?? []) {
        const index = fieldIndex.get(fieldName(name));
        if (index !== undefined) row[index] = typedValue(textOrBytes(value), types[index]!);
      }
      return row;
    });
  const read = async (keys: Buffer[], readSignal?: AbortSignal) =>
    rows(keys, await fetch(keys, readSignal));

  return {
    label: `hashes under ${prefix}`,
    schema: { kind: 'table', key: [columns[0]!.name], columns },
    read: async (offset, limit, readSignal) =>
      read(await pager.read(offset, limit, readSignal), readSignal),
    count: (countSignal) => pager.count(countSignal),
    all: async (max, allSignal) => {
      const keys = await pager.all(max, allSignal);
      return keys && read(keys, allSignal);
    },
  };
}

/** The `key` column, then each field in the order first seen, typed from its sampled values. */
function sampledColumns(
  sample: ReadonlyArray<Array<[Buffer, Buffer]>>,
  suffixes: ReadonlyArray<string | Buffer | null>,
): Column[] {
  const values = new Map<string, Array<string | Buffer>>();
  for (const fields of sample) {
    for (const [name, value] of fields) {
      const key = fieldName(name);
      let list = values.get(key);
      if (!list) values.set(key, (list = []));
      const text = textOrBytes(value);
      if (text !== null) list.push(text);
    }
  }
  // A field named `key` would clash with the key column; the key column gives way.
  const keyName = values.has('key') ? '_key' : 'key';
  const keyType = inferType(suffixes.filter((s): s is string | Buffer => s !== null));
  return [
    column(keyName, keyType === 'boolean' ? 'text' : keyType, 'key'),
    ...[...values].map(([name, list]) =>
      column(name, inferType(list), 'hash field', list.length < sample.length),
    ),
  ];
}

/** Field names are shown as text; a binary name as its hex, so it can still be a column. */
function fieldName(name: Buffer): string {
  const text = textOrBytes(name);
  return typeof text === 'string' ? text : `0x${name.toString('hex')}`;
}

async function hashes(
  run: DbRun,
  keys: readonly Buffer[],
  signal?: AbortSignal,
): Promise<Array<Array<[Buffer, Buffer]>>> {
  if (keys.length === 0) return [];
  const replies = await run((redis) => {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.callBuffer('HGETALL', key);
    return execPipeline(pipeline);
  }, signal);
  // A key deleted (or retyped) since SCAN saw it shows as a row of NULLs, keeping offsets stable.
  return replies.map((reply) => (reply instanceof Error ? [] : pairs(reply)));
}
