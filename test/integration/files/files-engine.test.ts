/**
 * The folder engine on what data lakes hold: hive partitions as one dataset, CSV that needs
 * quoting, JSON Lines with nested objects, TSV and gzip, saved views, a file that changes under
 * an open connection, and cancelled waits for the cache.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { TreeNode, ViewSpec } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { filesEngine, filesFactory } from '../../../electron/backends/files/engine.js';
import { csvText } from './write-fixtures.js';

const plain: ViewSpec = { sort: [], filters: [] };
let root: string;
let backend: Backend;

async function put(relative: string, content: string | Buffer): Promise<void> {
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

async function failure(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'strata-files-'));
  process.env.STRATA_CACHE_DIR = path.join(root, '.cache');
  await put(
    'daily/date=2023-01-01/region=eu/part-0.csv',
    csvText(
      ['item', 'qty'],
      [
        ['apple', 3],
        ['pear', 5],
      ],
    ),
  );
  await put('daily/date=2023-01-01/region=us/part-0.csv', csvText(['item', 'qty'], [['plum', 7]]));
  // Another writer, another column order: mapped by name.
  await put('daily/date=2023-01-02/region=eu/part-0.csv', csvText(['qty', 'item'], [[1, 'fig']]));
  await put('daily/_SUCCESS', '');
  await put('sales/by-year/year=2022/month=01/a.csv', csvText(['v'], [[1]]));
  await put('sales/by-year/year=2023/month=12/a.csv', csvText(['v'], [[2]]));
  await put(
    'raw/quoted.csv',
    'id,text,amount\n1,"Hello, world",10\n2,"two\nlines, and ""quotes""",20\n3,plain,30\n',
  );
  await put(
    'raw/events.jsonl',
    [
      '{"id":1,"user":{"name":"ada","address":{"city":"London"}},"tags":["a","b"],"ok":true}',
      '{"id":2,"user":{"name":"bob"},"tags":[],"ok":false,"extra":null}',
      '',
      '{"id":3,"user":{"name":"cleo","address":{"city":"Paris"}},"ok":true}',
    ].join('\n'),
  );
  await put('raw/bad.jsonl', '{"id":1}\n{"id":2}\n{"id":3,}\n');
  await put('raw/scores.tsv', 'name\tscore\nann\t3.5\nben\t1.25\n');
  await put(
    'raw/zipped.csv.gz',
    gzipSync(
      csvText(
        ['n'],
        Array.from({ length: 100 }, (_, i) => [i]),
      ),
    ),
  );
  await put('raw/notes.txt', 'not data');
  await put('raw/dup.csv', 'a\n1\n');
  await put('raw/dup.tsv', 'a\n1\n');
  await put(
    'raw/top.view.json',
    JSON.stringify({ from: 'quoted.csv', sort: [{ column: 'amount', direction: 'desc' }] }),
  );
  await put('raw/broken.view.json', '{"from": 3}');
  backend = await filesFactory.open({ kind: 'files', root });
});

afterAll(async () => {
  await backend?.close();
  await rm(root, { recursive: true, force: true });
});

describe('folder tree', () => {
  it('shows folders as schemas, a partitioned folder as one table, data files and views', async () => {
    const tree = await backend.tree();
    const flat = (nodes: TreeNode[]): TreeNode[] =>
      nodes.flatMap((n) => [n, ...flat(n.children ?? [])]);
    const byId = new Map(flat(tree).map((n) => [n.id, n]));
    expect(byId.get('sales')?.kind).toBe('schema');
    expect(byId.get('daily')).toMatchObject({ kind: 'table', path: ['daily'] });
    expect(byId.get('daily/date=2023-01-01')).toBeUndefined();
    expect(byId.get('sales/by-year')).toMatchObject({ kind: 'table', path: ['sales', 'by-year'] });
    expect(byId.get('raw/quoted.csv')).toMatchObject({
      kind: 'table',
      rowCount: 3,
      rowCountExact: true,
    });
    expect(byId.get('raw/top.view.json')).toMatchObject({ kind: 'view', label: 'top' });
    expect(byId.has('raw/notes.txt')).toBe(false);
    expect(byId.has('daily/_SUCCESS')).toBe(false);
  });
});

describe('hive partitions', () => {
  it('reads every partition as one dataset with typed partition columns', async () => {
    const byYear = await backend.describe(['sales', 'by-year']);
    expect(byYear.columns.map((c) => [c.name, c.type])).toEqual([
      ['v', 'integer'],
      ['year', 'integer'],
      ['month', 'integer'],
    ]);
    expect((await backend.page(['sales', 'by-year'], plain, 0, 10)).rows).toEqual([
      [1, 2022, 1],
      [2, 2023, 12],
    ]);
  });

  it('maps files by column name and filters and counts on partition values', async () => {
    await put(
      'daily/date=2023-01-01/region=eu/part-0.csv',
      csvText(
        ['item', 'qty'],
        [
          ['apple', 3],
          ['pear', 5],
        ],
      ),
    );
    await put(
      'daily/date=2023-01-01/region=us/part-0.csv',
      csvText(['item', 'qty'], [['plum', 7]]),
    );
    await put('daily/date=2023-01-02/region=eu/part-0.csv', csvText(['qty', 'item'], [[1, 'fig']]));
    const path = ['daily'];
    const schema = await backend.describe(path);
    expect(schema.columns.map((c) => [c.name, c.type, c.nativeType])).toEqual([
      ['item', 'text', 'CSV'],
      ['qty', 'integer', 'CSV'],
      ['date', 'date', 'partition'],
      ['region', 'text', 'partition'],
    ]);
    expect((await backend.page(path, plain, 0, 10)).rows).toEqual([
      ['apple', 3, '2023-01-01', 'eu'],
      ['pear', 5, '2023-01-01', 'eu'],
      ['plum', 7, '2023-01-01', 'us'],
      ['fig', 1, '2023-01-02', 'eu'],
    ]);
    const eu: ViewSpec = {
      sort: [{ column: 'qty', direction: 'desc' }],
      filters: [{ column: 'region', op: 'eq', value: 'eu' }],
    };
    expect((await backend.page(path, eu, 0, 10)).rows.map((r) => r[0])).toEqual([
      'pear',
      'apple',
      'fig',
    ]);
    expect(await backend.count(path, eu)).toBe(3);
    expect(await backend.count(path, plain)).toBe(4);
  });
});

describe('formats', () => {
  it('reads quoted commas, quotes and embedded newlines, streamed and from the cache alike', async () => {
    const expected = [
      [1, 'Hello, world', 10],
      [2, 'two\nlines, and "quotes"', 20],
      [3, 'plain', 30],
    ];
    expect((await backend.page(['raw', 'quoted.csv'], plain, 0, 10)).rows).toEqual(expected);
    const sorted: ViewSpec = { sort: [{ column: 'amount', direction: 'desc' }], filters: [] };
    expect((await backend.page(['raw', 'quoted.csv'], sorted, 0, 10)).rows).toEqual(
      [...expected].reverse(),
    );
    expect((await backend.cell(['raw', 'quoted.csv'], sorted, 1, 'text')).text).toBe(
      'two\nlines, and "quotes"',
    );
    expect((await backend.page(['raw', 'top.view.json'], plain, 0, 1)).rows).toEqual([expected[2]]);
  });

  it('flattens nested JSON objects into dotted columns and keeps arrays as JSON', async () => {
    const path = ['raw', 'events.jsonl'];
    const schema = await backend.describe(path);
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'integer'],
      ['user.name', 'text'],
      ['user.address.city', 'text'],
      ['tags', 'json'],
      ['ok', 'boolean'],
      ['extra', 'text'],
    ]);
    expect(schema.key).toEqual(['id']);
    expect((await backend.page(path, plain, 0, 10)).rows).toEqual([
      [1, 'ada', 'London', '["a","b"]', true, null],
      [2, 'bob', null, '[]', false, null],
      [3, 'cleo', 'Paris', null, true, null],
    ]);
    const paris: ViewSpec = {
      sort: [],
      filters: [{ column: 'user.address.city', op: 'eq', value: 'Paris' }],
    };
    expect((await backend.page(path, paris, 0, 10)).rows.map((r) => r[0])).toEqual([3]);
  });

  it('reads TSV and gzipped CSV', async () => {
    expect((await backend.page(['raw', 'scores.tsv'], plain, 0, 10)).rows).toEqual([
      ['ann', 3.5],
      ['ben', 1.25],
    ]);
    expect(await backend.count(['raw', 'zipped.csv.gz'], plain)).toBe(100);
    const desc: ViewSpec = { sort: [{ column: 'n', direction: 'desc' }], filters: [] };
    expect((await backend.page(['raw', 'zipped.csv.gz'], desc, 0, 2)).rows).toEqual([[99], [98]]);
  });

  it('names the file and line of malformed JSON, and rejects what is not a dataset', async () => {
    const error = await failure(backend.count(['raw', 'bad.jsonl'], plain));
    expect(error.code).toBe('query-failed');
    expect(error.message).toContain(path.join(root, 'raw', 'bad.jsonl'));
    expect(error.message).toContain('line 3');
    expect((await failure(backend.describe(['raw', 'notes.txt']))).code).toBe('not-found');
    expect((await failure(backend.describe(['raw', 'nothing.csv']))).code).toBe('not-found');
    expect((await failure(backend.describe(['raw']))).message).toContain('is a folder');
    // A unique file name without its extension names the file; an ambiguous one names nothing.
    expect((await backend.page(['raw', 'scores'], plain, 0, 1)).rows).toEqual([['ann', 3.5]]);
    expect((await backend.describe(['raw', 'top'])).kind).toBe('view');
    expect((await failure(backend.describe(['raw', 'dup']))).code).toBe('not-found');
    const view = await failure(backend.page(['raw', 'broken.view.json'], plain, 0, 1));
    expect(view.code).toBe('query-failed');
    expect(view.message).toContain('broken.view.json');
  });
});

describe('a changing folder', () => {
  it('rebuilds the cache when a file changes, and cancels a wait for it', async () => {
    const path = ['live', 'numbers.csv'];
    await put('live/numbers.csv', csvText(['n'], [[1], [2], [3]]));
    const desc: ViewSpec = { sort: [{ column: 'n', direction: 'desc' }], filters: [] };
    expect((await backend.page(path, desc, 0, 1)).rows).toEqual([[3]]);
    await put('live/numbers.csv', csvText(['n'], [[1], [2], [3], [40], [5]]));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await backend.page(path, desc, 0, 1)).rows).toEqual([[40]]);
    expect(await backend.count(path, plain)).toBe(5);

    await put(
      'live/numbers.csv',
      csvText(
        ['n'],
        Array.from({ length: 2_000 }, (_, i) => [i]),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const abort = new AbortController();
    abort.abort();
    const cancelled = await failure(backend.page(path, desc, 0, 1, { signal: abort.signal }));
    expect(cancelled.code).toBe('cancelled');
    expect((await backend.page(path, desc, 0, 1)).rows).toEqual([[1_999]]);
  });
});

describe('object metadata', () => {
  it('lists the files under a folder with size and time, sortable and filterable', async () => {
    const path = ['raw', '_objects'];
    const schema = await backend.describe(path);
    expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['key', 'text'],
      ['size', 'bigint'],
      ['last_modified', 'timestamp'],
      ['etag', 'text'],
      ['storage_class', 'text'],
    ]);
    const bySize: ViewSpec = { sort: [{ column: 'size', direction: 'desc' }], filters: [] };
    const rows = (await backend.page(path, bySize, 0, 100)).rows;
    expect(rows.map((r) => r[0])).toContain('events.jsonl');
    const sizes = rows.map((r) => Number(r[1]));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(String(rows[0]![2])).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const csv: ViewSpec = { sort: [], filters: [{ column: 'key', op: 'contains', value: '.csv' }] };
    expect(await backend.count(path, csv)).toBe(3);
  });
});

describe('connection URLs', () => {
  it('reads file:DIR and file:///abs', () => {
    expect(filesEngine.fromUrl('file:///data/lake', {})).toEqual({
      kind: 'files',
      root: '/data/lake',
    });
    expect(filesEngine.fromUrl('file:lake', {})).toEqual({
      kind: 'files',
      root: path.resolve('lake'),
    });
    expect(filesEngine.fromUrl('sqlite:x.db', {})).toBeUndefined();
  });
});
