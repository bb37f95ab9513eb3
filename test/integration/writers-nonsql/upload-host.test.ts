/**
 * Upload end to end into the non-SQL stores, through the host's channels as the window makes
 * them (sniffFile, startIngest, getIngestResult; then getTree, getPage, countRows): a CSV into a
 * folder, hive-partitioned, appended to with its own types, browsed, sorted and filtered as one
 * dataset; a rejected load leaving it as it was; the same file into Redis, where partitioning is
 * refused before anything is written.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlan, type IngestPlanInput } from '../../../shared/ingest.js';
import type { DatasetPath } from '../../../shared/model.js';
import { connectionsFileName } from '../../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../../electron/host.js';
import { redisAvailable, testKeyspace, type TestKeyspace } from '../redis/support.js';

let dir: string;
let host: Host;
let folder: string;
const plain = { sort: [], filters: [] };
const skipRedis = await redisAvailable();

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'strata-upload-nonsql-'));
  writeFileSync(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
  process.env.STRATA_CACHE_DIR = path.join(dir, 'cache');
  host = await createHost({ dataDir: dir });
  const root = path.join(dir, 'lake');
  mkdirSync(root);
  folder = (await host.call('saveConnection', { name: 'lake', config: { kind: 'files', root } }))
    .id;
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

function csv(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function load(
  connectionId: string,
  file: string,
  target: DatasetPath,
  changes: Partial<IngestPlanInput> = {},
) {
  const sniff = await host.call('sniffFile', { path: file });
  const plan = { ...defaultPlan(sniff, { connectionId, path: target }), ...changes };
  const { jobId } = await host.call('startIngest', { plan });
  return host.call('getIngestResult', { jobId, wait: true });
}

const sales =
  'id,item,amount,region,day\n' +
  '1,apple,1.50,eu,2024-01-01\n' +
  '2,"pear, green",2.25,eu,2024-01-02\n' +
  '3,plum,0.75,us/west,2024-01-01\n' +
  '4,fig,3.00,,2024-01-02\n';

describe('upload into a folder', () => {
  it('writes hive partitions that browse, sort and filter as one dataset', async () => {
    const status = await load(folder, csv('sales.csv', sales), ['sales'], {
      key: ['id'],
      partitionBy: ['region'],
    });
    expect(status).toMatchObject({ state: 'loaded', summary: { rowsLoaded: 4 } });
    const tree = await host.call('getTree', { connectionId: folder });
    expect(tree.find((n) => n.label === 'sales')).toMatchObject({ kind: 'table', rowCount: 4 });
    const ref = { connectionId: folder, path: ['sales'] };
    const schema = await host.call('describeDataset', { ref });
    expect(schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'id:integer',
      'item:text',
      'amount:decimal',
      'day:date',
      'region:text',
    ]);
    const byAmount = { sort: [{ column: 'amount', direction: 'desc' as const }], filters: [] };
    const page = await host.call('getPage', { ref, view: byAmount, offset: 0, limit: 10 });
    expect(page.rows).toEqual([
      [4, 'fig', '3.00', '2024-01-02', null],
      [2, 'pear, green', '2.25', '2024-01-02', 'eu'],
      [1, 'apple', '1.50', '2024-01-01', 'eu'],
      [3, 'plum', '0.75', '2024-01-01', 'us/west'],
    ]);
    const west = { sort: [], filters: [{ column: 'region', op: 'eq' as const, value: 'us/west' }] };
    expect(await host.call('countRows', { ref, view: west })).toEqual({ count: 1 });
  });

  it('appends with the dataset’s types and partitions; a rejected load changes nothing', async () => {
    const more = csv('more.csv', 'id,item,amount,region,day\n5,kiwi,4.10,asia,2024-02-01\n');
    const status = await load(folder, more, ['sales'], { mode: 'append' });
    expect(status).toMatchObject({ state: 'loaded', summary: { rowsLoaded: 1 } });
    const ref = { connectionId: folder, path: ['sales'] };
    expect(await host.call('countRows', { ref, view: plain })).toEqual({ count: 5 });
    const bad = csv('bad.csv', 'id,item,amount,region,day\n6,x,lots,eu,2024-02-02\n');
    const rejected = await load(folder, bad, ['sales'], { mode: 'append' });
    expect(rejected.state).toBe('rejected');
    expect(await host.call('countRows', { ref, view: plain })).toEqual({ count: 5 });
  });
});

describe.skipIf(skipRedis !== undefined)('upload into Redis', () => {
  let space: TestKeyspace;
  let redis: string;
  beforeAll(async () => {
    space = await testKeyspace(11);
    const { host: h, port } = space.config;
    redis = (
      await host.call('saveConnection', {
        name: 'redis',
        config: { kind: 'redis', host: h, port, db: 11 },
      })
    ).id;
  });
  afterAll(async () => space?.cleanup());

  it('writes a hash per row, and refuses partitions before writing anything', async () => {
    const target = ['db11', 'hashes', `${space.prefix}sales:`];
    const refused = await load(redis, csv('r.csv', sales), target, {
      key: ['id'],
      partitionBy: ['region'],
    });
    expect(refused.state).toBe('failed');
    expect(await space.client.keys(`${space.prefix}*`)).toEqual([]);
    const status = await load(redis, csv('r.csv', sales), target, { key: ['id'] });
    expect(status).toMatchObject({ state: 'loaded', summary: { rowsLoaded: 4 } });
    expect(await space.client.hgetall(`${space.prefix}sales:2`)).toEqual({
      id: '2',
      item: 'pear, green',
      amount: '2.25',
      region: 'eu',
      day: '2024-01-02',
    });
    expect(await space.client.hgetall(`${space.prefix}sales:4`)).not.toHaveProperty('region');
  });
});
