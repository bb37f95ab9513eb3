/**
 * Data files at size: a deterministic 1M-row CSV (~80 MB) in a local folder and in s3rver.
 * First page (100 rows) through Strata against `head -n 101` on the same file (and, for S3, a
 * raw ranged GetObject of the first 64 KiB) in the same run; then the time to a sorted page with
 * the cache build included, and a deep sorted page once the cache is there.
 * Run: npx tsx test/bench/files.bench.ts (or `npm run bench -- files` once registered).
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Backend } from '../../electron/backends/backend.js';
import { filesFactory } from '../../electron/backends/files/engine.js';
import { s3Factory } from '../../electron/backends/s3/engine.js';
import { startS3, credentials } from '../integration/s3/s3-server.js';
import { median, report, round, type BenchRow } from './support/stats.js';

const rowCount = 1_000_000;
const runs = 15;
const plain = { sort: [], filters: [] };
const sorted = { sort: [{ column: 'amount', direction: 'desc' as const }], filters: [] };

async function timeMedian(work: () => Promise<unknown> | unknown): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function timeOnce(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'strata-files-bench-'));
process.env.STRATA_CACHE_DIR = path.join(dir, '.cache');
const file = path.join(dir, 'orders.csv');
const out = createWriteStream(file);
out.write('id,customer,amount,day,paid,comment\n');
for (let i = 1; i <= rowCount; i++) {
  const day = new Date(Date.UTC(2020, 0, 1) + (i % 1_460) * 86_400_000).toISOString().slice(0, 10);
  const line = `${i},customer ${(i * 7919) % 50_000},${((i * 104_729) % 1_000_000) / 100},${day},${i % 4 !== 0},"note ${i % 97}, shipped from warehouse ${i % 13}"\n`;
  if (!out.write(line)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const size = (await stat(file)).size;
console.log(`orders.csv: ${rowCount} rows, ${(size / 2 ** 20).toFixed(1)} MiB`);

const rows: BenchRow[] = [];
const head = await timeMedian(() => execFileSync('head', ['-n', '101', file]));

async function firstAndSorted(name: string, open: () => Promise<Backend>, datasetPath: string[]) {
  const backend = await open();
  const first = await timeMedian(() => backend.page(datasetPath, plain, 0, 100));
  const build = await timeOnce(() => backend.page(datasetPath, sorted, 0, 100));
  const deep = await timeMedian(() => backend.page(datasetPath, sorted, 900_000, 100));
  await backend.close();
  rows.push(
    { metric: `${name}: first 100 rows`, value: round(first, 2), unit: 'ms' },
    {
      metric: `${name}: first sorted page (cache build included)`,
      value: round(build / 1000, 2),
      unit: 's',
    },
    { metric: `${name}: sorted page at 900,000 (cache warm)`, value: round(deep, 2), unit: 'ms' },
  );
  return first;
}

const local = await firstAndSorted(
  'folder',
  () => filesFactory.open({ kind: 'files', root: dir }),
  ['orders.csv'],
);
rows.push(
  { metric: 'head -n 101', value: round(head, 2), unit: 'ms' },
  {
    metric: 'folder first page / head',
    value: round(local / head, 2),
    unit: '×',
    aim: '≤ 10×',
    met: local / head <= 10,
  },
);

const s3 = await startS3();
try {
  const bucket = 'bench-lake';
  await s3.createBucket(bucket);
  await s3.put(bucket, 'orders.csv', await readFile(file));
  process.env.STRATA_CACHE_DIR = path.join(dir, '.cache-s3');
  const remote = await firstAndSorted('s3rver', () => s3Factory.open(s3.config(bucket)), [
    bucket,
    'orders.csv',
  ]);
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
  });
  const raw = await timeMedian(async () => {
    const got = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'orders.csv', Range: 'bytes=0-65535' }),
    );
    await got.Body!.transformToByteArray();
  });
  client.destroy();
  rows.push(
    { metric: 'raw GetObject of the first 64 KiB', value: round(raw, 2), unit: 'ms' },
    {
      metric: 's3rver first page / raw GetObject',
      value: round(remote / raw, 2),
      unit: '×',
      aim: '≤ 10×',
      met: remote / raw <= 10,
    },
  );
} finally {
  await s3.close();
}

report('files', rows);
await rm(dir, { recursive: true, force: true });
