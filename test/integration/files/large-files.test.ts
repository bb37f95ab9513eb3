/**
 * Big files stay usable: deep pages, sorts and filters on a 200k-row CSV equal what SQLite
 * computes on the same rows; the first page of a 300 MB CSV reads only its first bytes (counted
 * through the FileSource) and comes back fast, with memory flat.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellValue, ViewSpec } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { filesFactory } from '../../../electron/backends/files/engine.js';
import { singleFileSpec } from '../../../electron/backends/file-datasets/catalog.js';
import { localSource } from '../../../electron/backends/file-datasets/local-source.js';
import { datasetRows } from '../../../electron/backends/file-datasets/rows.js';
import { sampleColumns } from '../../../electron/backends/file-datasets/sample.js';
import { countingSource } from '../../../electron/backends/file-datasets/source.js';

const rowCount = 200_000;
const categories = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];

/** Row i of the generated table: ties in every column but id, NULLs in `score`. */
function row(i: number): [number, string, number | null, string, string, boolean] {
  const id = i + 1;
  const score = id % 97 === 0 ? null : ((id * 7919) % 100_000) / 100;
  const day = new Date(Date.UTC(2020, 0, 1) + ((id * 31) % 1_500) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return [
    id,
    `name ${(id * 13) % 5_000}`,
    score,
    categories[id % categories.length]!,
    day,
    id % 3 === 0,
  ];
}

async function writeLines(
  file: string,
  header: string,
  lines: number,
  line: (i: number) => string,
) {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 0; i < lines; i++) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

let dir: string;
let backend: Backend;
let reference: Database.Database;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'strata-large-'));
  process.env.STRATA_CACHE_DIR = path.join(dir, '.cache');
  await writeLines(path.join(dir, 'big.csv'), 'id,name,score,category,day,flag', rowCount, (i) =>
    row(i)
      .map((v) => (v === null ? '' : String(v)))
      .join(','),
  );
  reference = new Database(':memory:');
  reference.exec(
    'CREATE TABLE t (id INTEGER, name TEXT, score REAL, category TEXT, day TEXT, flag INTEGER)',
  );
  const insert = reference.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)');
  reference.transaction(() => {
    for (let i = 0; i < rowCount; i++) {
      const r = row(i);
      insert.run(r[0], r[1], r[2], r[3], r[4], r[5] ? 1 : 0);
    }
  })();
  backend = await filesFactory.open({ kind: 'files', root: dir });
}, 120_000);

afterAll(async () => {
  await backend?.close();
  reference?.close();
  await rm(dir, { recursive: true, force: true });
});

/** SQLite's answer in the backend's cell form. */
function expected(sql: string, ...params: unknown[]): CellValue[][] {
  return (
    reference
      .prepare(sql)
      .raw(true)
      .all(...params) as unknown[][]
  ).map((r) => r.map((v, i) => (i === 5 ? v === 1 : (v as CellValue))));
}

describe('a 200k-row CSV', () => {
  const path_ = ['big.csv'];

  it('describes the inferred columns', async () => {
    const schema = await backend.describe(path_);
    expect(schema.columns.map((c) => c.type)).toEqual([
      'integer',
      'text',
      'float',
      'text',
      'date',
      'boolean',
    ]);
    expect(schema.key).toEqual(['id']);
  });

  it('serves a deep plain page, a sorted deep page and a filtered sort as SQLite does', async () => {
    const plain: ViewSpec = { sort: [], filters: [] };
    expect((await backend.page(path_, plain, 150_000, 50)).rows).toEqual(
      expected('SELECT * FROM t ORDER BY rowid LIMIT 50 OFFSET 150000'),
    );
    expect(await backend.count(path_, plain)).toBe(rowCount);

    const byScore: ViewSpec = { sort: [{ column: 'score', direction: 'desc' }], filters: [] };
    expect((await backend.page(path_, byScore, 123_456, 40)).rows).toEqual(
      expected('SELECT * FROM t ORDER BY score DESC, rowid LIMIT 40 OFFSET 123456'),
    );
    expect((await backend.page(path_, byScore, 199_990, 20)).rows).toEqual(
      expected('SELECT * FROM t ORDER BY score DESC, rowid LIMIT 20 OFFSET 199990'),
    );

    const filtered: ViewSpec = {
      sort: [
        { column: 'day', direction: 'asc' },
        { column: 'name', direction: 'desc' },
      ],
      filters: [
        { column: 'category', op: 'eq', value: 'gamma' },
        { column: 'score', op: 'range', min: '100', max: '700.5' },
        { column: 'flag', op: 'eq', value: 'false' },
      ],
    };
    const where = "category = 'gamma' AND score >= 100 AND score <= 700.5 AND flag = 0";
    expect(await backend.count(path_, filtered)).toBe(
      reference.prepare(`SELECT count(*) FROM t WHERE ${where}`).pluck().get(),
    );
    expect((await backend.page(path_, filtered, 3_000, 30)).rows).toEqual(
      expected(
        `SELECT * FROM t WHERE ${where} ORDER BY day ASC, name DESC, rowid LIMIT 30 OFFSET 3000`,
      ),
    );
    const contains: ViewSpec = {
      sort: [],
      filters: [{ column: 'name', op: 'contains', value: 'e 49' }],
    };
    expect(await backend.count(path_, contains)).toBe(
      reference.prepare("SELECT count(*) FROM t WHERE name LIKE '%e 49%'").pluck().get(),
    );
  }, 120_000);
});

describe('a 300 MB CSV', () => {
  const bigRows = 3_000_000;
  let file: string;

  beforeAll(async () => {
    const filler = 'x'.repeat(70);
    file = path.join(dir, 'huge.csv');
    await writeLines(file, 'id,label,value', bigRows, (i) => `${i},"${filler} ${i}",${i % 1000}.5`);
  }, 120_000);

  it('is really that big', async () => {
    expect((await stat(file)).size).toBeGreaterThan(250 * 1024 * 1024);
  });

  it('reads its first page and its columns from the first bytes only', async () => {
    const source = countingSource(localSource(dir));
    const spec = singleFileSpec((await source.stat('huge.csv'))!)!;
    const sample = await sampleColumns(source, spec);
    expect(sample.columns.map((c) => c.type)).toEqual(['integer', 'text', 'decimal']);
    expect(sample.complete).toBe(false);
    const afterSample = source.bytesRead;
    expect(afterSample).toBeLessThan(2 * 1024 * 1024);
    const rows: unknown[][] = [];
    for await (const batch of datasetRows(source, spec, sample, { skip: 0, limit: 100 }))
      rows.push(...batch);
    expect(rows).toHaveLength(100);
    expect(rows[99]![0]).toBe('99');
    expect(source.bytesRead - afterSample).toBeLessThan(1024 * 1024);
  });

  it('shows the first page through the engine quickly, with memory flat', async () => {
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const page = await backend.page(['huge.csv'], { sort: [], filters: [] }, 0, 100);
    const elapsed = performance.now() - started;
    expect(page.rows).toHaveLength(100);
    expect(page.rows[0]).toEqual([0, `${'x'.repeat(70)} 0`, '0.5']);
    // Reading 300 MB would take seconds and grow memory by hundreds of MB; this reads ~1 MB.
    expect(elapsed).toBeLessThan(5_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });
});
