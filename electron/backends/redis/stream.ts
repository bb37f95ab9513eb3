/**
 * A stream's entries as rows: the entry id, then one column per field seen in the first 100
 * entries, then `other_fields` (JSON) for fields the sample did not see, since streams have no
 * schema and later entries may carry anything. Paged by XRANGE with an exclusive start id
 * (`(1700000000000-0`), so each page continues exactly after the last entry of the previous one.
 */
import type { Column } from '../../../shared/model.js';
import type { DbRun } from './connection.js';
import { CursorPager } from './cursor-pager.js';
import { column, type RedisDataset } from './dataset.js';
import { integerOrNull } from './replies.js';
import { inferType, textOrBytes, typedValue, type RawRow } from './values.js';

type Entry = [id: Buffer, fields: Buffer[]];
const sampleSize = 100;
const maxBatch = 1_000;

export async function streamContents(
  run: DbRun,
  key: string,
  label: string,
  signal?: AbortSignal,
): Promise<RedisDataset> {
  const range = (start: string, count: number, rangeSignal?: AbortSignal) =>
    run((redis) => redis.xrangeBuffer(key, start, '+', 'COUNT', count), rangeSignal);
  const sample = await range('-', sampleSize, signal);
  const columns = streamColumns(sample);
  const fieldIndex = new Map(columns.slice(1, -1).map((c, i) => [c.name, i + 1]));
  const toRow = ([id, flat]: Entry): RawRow => {
    const row: RawRow = new Array<RawRow[number]>(columns.length).fill(null);
    row[0] = id.toString();
    const others: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const name = flat[i]!.toString();
      const value = textOrBytes(flat[i + 1]!);
      const index = fieldIndex.get(name);
      if (index !== undefined) row[index] = typedValue(value, columns[index]!.type);
      else others[name] = typeof value === 'string' ? value : `0x${flat[i + 1]!.toString('hex')}`;
    }
    if (Object.keys(others).length > 0) row[columns.length - 1] = JSON.stringify(others);
    return row;
  };
  const pager = new CursorPager<RawRow>(async (start, want, batchSignal) => {
    const count = Math.max(1, Math.min(want, maxBatch));
    const entries = await range(start, count, batchSignal);
    const last = entries[entries.length - 1];
    return {
      items: entries.map(toRow),
      next: entries.length < count || !last ? undefined : `(${last[0].toString()}`,
    };
  }, '-');
  return {
    label,
    schema: { kind: 'table', key: ['id'], columns },
    read: (offset, limit, readSignal) => pager.read(offset, limit, readSignal),
    count: (countSignal) =>
      run(async (redis) => integerOrNull(await redis.xlen(key)) ?? 0, countSignal),
    all: (max, allSignal) => pager.all(max, allSignal),
  };
}

function streamColumns(sample: readonly Entry[]): Column[] {
  const values = new Map<string, Array<string | Buffer>>();
  for (const [, flat] of sample) {
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const name = flat[i]!.toString();
      let list = values.get(name);
      if (!list) values.set(name, (list = []));
      const value = textOrBytes(flat[i + 1]!);
      if (value !== null) list.push(value);
    }
  }
  values.delete('id');
  values.delete('other_fields');
  return [
    column('id', 'text', 'stream entry id'),
    ...[...values].map(([name, list]) => column(name, inferType(list), 'stream field', true)),
    column('other_fields', 'json', 'fields not in the first 100 entries', true),
  ];
}
