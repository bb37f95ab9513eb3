/**
 * What only the folder and bucket writers do, against both a local folder and s3rver: hive
 * partitions (several columns, NULLs, values that need escaping) browsed, sorted and filtered as
 * one dataset; readers going by the manifest alone (stray files, an upload killed before or
 * during its publish); cleanup of those leftovers once they are old enough; and datasets Strata
 * did not write left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column, DatasetPath, ViewSpec } from '../../../shared/model.js';
import { createFileDatasetWriter } from '../../../electron/backends/file-datasets/dataset-writer.js';
import type { WritableFileSource } from '../../../electron/backends/file-datasets/source.js';
import { cleanupLeftovers } from '../../../electron/backends/file-datasets/write-cleanup.js';
import { col } from '../writers/fixture.js';
import { fileLeftovers } from './file-leftovers.js';
import { filesSetup, s3Setup, testPartSizes, type FileStore } from './stores.js';
import { expectError, target, write } from './suite.js';

const plain: ViewSpec = { sort: [], filters: [] };
const columns: Column[] = [
  col('id', 'integer', false),
  col('item', 'text'),
  col('qty', 'integer'),
  col('region', 'text'),
  col('day', 'date'),
];
const sales = [
  [1, 'apple', 3, 'eu', '2023-01-01'],
  [2, 'pear', 5, 'eu', '2023-01-02'],
  [3, 'plum', 7, 'us/west', '2023-01-01'],
  [4, 'fig', null, null, '2023-01-01'],
  [5, 'kiwi', 2, 'a=b%c', null],
];
const hours = 60 * 60 * 1000;

/** A source that breaks like a killed app: the manifest never lands and nothing is cleaned up. */
function crashing(source: WritableFileSource, at: 'manifest' | 'retire'): WritableFileSource {
  return {
    ...source,
    put: (key, bytes, signal) =>
      at === 'manifest' && key.endsWith('_strata_manifest.json')
        ? Promise.reject(new Error('killed'))
        : source.put(key, bytes, signal),
    remove: async () => undefined,
    removeFolder: async () => undefined,
  };
}

/** Upload folders under `_strata_tmp/`, once there are `count` (parts are stored in the background). */
async function uploadFolders(source: WritableFileSource, root: string, count: number) {
  for (let tries = 0; ; tries++) {
    const files = await source.walk(`${root}_strata_tmp/`).catch(() => []);
    const ids = new Set(files.map((f) => f.key.slice(root.length).split('/')[1]));
    if (ids.size >= count || tries > 100) return ids.size;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const setup of [filesSetup(), s3Setup()]) {
  describe(`${setup.kind} writer: partitions, manifests, leftovers`, () => {
    let store: FileStore;
    let source: WritableFileSource;
    let root: string;
    const backend = () => store.backend;
    beforeAll(async () => {
      store = await setup.open();
      ({ source, root } = store);
    });
    afterAll(async () => store?.teardown());

    it('writes hive partitions that browse as one dataset with the partition columns', async () => {
      const path = store.path('sales');
      const by = { partitionBy: ['region', 'day'] };
      await write(backend().writer!, target(path, 'create', columns, by), sales);
      const described = await backend().describe(path);
      expect(described.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
        'id:integer',
        'item:text',
        'qty:integer',
        'region:text',
        'day:date',
      ]);
      const tree = JSON.stringify(await backend().tree());
      expect(tree).toContain(`"id":"${path.join('/')}","label":"sales","kind":"table"`);
      const sorted = await backend().page(
        path,
        { sort: [{ column: 'id', direction: 'asc' }], filters: [] },
        0,
        10,
      );
      expect(sorted.rows).toEqual(sales);
      // A plain first page is read straight from the parts (no cache): the same values.
      const direct = await backend().page(path, plain, 0, 10);
      expect([...direct.rows].sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(sales);
      const eu = await backend().page(
        path,
        {
          sort: [{ column: 'qty', direction: 'desc' }],
          filters: [{ column: 'region', op: 'eq', value: 'eu' }],
        },
        0,
        10,
      );
      expect(eu.rows.map((r) => r[0])).toEqual([2, 1]);
      const noDay = { sort: [], filters: [{ column: 'day', op: 'isNull' as const }] };
      expect(await backend().count(path, noDay)).toBe(1);
      // Appending keeps the partitioning, and adds partitions as new values arrive.
      await write(backend().writer!, target(path, 'append', columns), [
        [6, 'lime', 1, 'asia', '2024-02-29'],
      ]);
      const asia = { sort: [], filters: [{ column: 'region', op: 'eq' as const, value: 'asia' }] };
      expect(await backend().count(path, asia)).toBe(1);
      expect(await backend().count(path, plain)).toBe(6);
      await expectError(
        backend().writer!.begin(target(path, 'append', columns, { partitionBy: ['day'] })),
        'invalid-input',
      );
      expect(await fileLeftovers(source, root)).toEqual([]);
    });

    it('an abort while a write is still storing parts leaves nothing behind', async () => {
      const path = store.path('abort_midway');
      const session = await backend().writer!.begin(target(path, 'create', columns));
      const rows = Array.from({ length: 20_000 }, (_, i) => [i, `item ${i}`, i, 'eu', null]);
      const writing = session.write(rows).catch(() => 'stopped');
      await new Promise((resolve) => setTimeout(resolve, 5));
      await session.abort();
      await writing;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await fileLeftovers(source, root)).toEqual([]);
      await expectError(backend().describe(path), 'not-found');
    });

    it('an empty upload is a dataset with its columns and no rows', async () => {
      const path = store.path('empty');
      expect(await write(backend().writer!, target(path, 'create', columns), [])).toBe(0);
      const described = await backend().describe(path);
      expect(described.columns.map((c) => c.name)).toEqual(columns.map((c) => c.name));
      expect(await backend().count(path, plain)).toBe(0);
      const sorted = { sort: [{ column: 'id', direction: 'asc' as const }], filters: [] };
      expect((await backend().page(path, sorted, 0, 10)).rows).toEqual([]);
    });

    it('refuses partition columns that cannot name folders, before writing anything', async () => {
      const path = store.path('bad_partitions');
      const floaty = [...columns, col('ratio', 'float')];
      await expectError(
        backend().writer!.begin(target(path, 'create', floaty, { partitionBy: ['ratio'] })),
        'invalid-input',
      );
      const all = [col('id', 'integer')];
      await expectError(
        backend().writer!.begin(target(path, 'create', all, { partitionBy: ['id'] })),
        'invalid-input',
      );
      await expectError(backend().describe(path), 'not-found');
    });

    it('reads only what the manifest lists; a stray file in the folder is ignored', async () => {
      const path = store.path('listed');
      await write(backend().writer!, target(path, 'create', columns), sales.slice(0, 2));
      await source.put(`${path.join('/')}/notes.csv`, Buffer.from('id,item\n99,stray\n'));
      const stray = `${path.join('/')}/part-00000-zzzzzzzz-0badcafe.csv.gz`;
      await source.put(stray, Buffer.from('not even gzip'));
      expect(await backend().count(path, plain)).toBe(2);
      expect(
        await backend().count(path, { sort: [{ column: 'id', direction: 'desc' }], filters: [] }),
      ).toBe(2);
      await source.remove([stray]);
    });

    it('an upload killed before its manifest leaves the dataset as it was; cleanup removes the rest', async () => {
      const created = store.path('killed_create');
      const appended = store.path('killed_append');
      await write(backend().writer!, target(appended, 'create', columns), sales.slice(0, 2));
      const killed = createFileDatasetWriter(crashing(source, 'manifest'), {
        sizes: testPartSizes,
      });
      const partitioned = { partitionBy: ['day'] };
      for (const [path, mode, extra] of [
        [created, 'create', partitioned],
        [appended, 'append', {}],
      ] as const) {
        const session = await killed.begin(target(path, mode, columns, extra));
        await session.write(sales.slice(2));
        await expectError(session.commit(), 'internal');
      }
      // A session dropped mid-stream, never committed nor aborted (the app killed earlier still):
      // ~90 KB of rows, so one 64 KB part was stored already.
      const dropped = await killed.begin(target(store.path('dropped'), 'create', columns));
      await dropped.write(
        Array.from({ length: 1_500 }, (_, i) => [i, `item ${'x'.repeat(40)}`, i, 'eu', null]),
      );
      expect(await uploadFolders(source, root, 3)).toBe(3);
      await expectError(backend().describe(created), 'not-found');
      expect(await backend().count(appended, plain)).toBe(2);
      const left = await fileLeftovers(source, root);
      expect(left.some((k) => k.startsWith(`${created.join('/')}/`))).toBe(true);
      // Young leftovers may be an upload still running elsewhere: they stay.
      expect(await cleanupLeftovers(source, root)).toBe(0);
      expect(await cleanupLeftovers(source, root, { now: Date.now() + 2 * hours })).toBe(3);
      expect(await fileLeftovers(source, root)).toEqual([]);
      expect(await backend().count(appended, plain)).toBe(2);
    });

    it('a replace killed after its manifest is complete; cleanup deletes the old parts', async () => {
      const path = store.path('killed_replace');
      await write(backend().writer!, target(path, 'create', columns), sales);
      const killed = createFileDatasetWriter(crashing(source, 'retire'), { sizes: testPartSizes });
      expect(await write(killed, target(path, 'replace', columns), sales.slice(0, 1))).toBe(1);
      expect(await backend().count(path, plain)).toBe(1);
      expect((await fileLeftovers(source, root)).length).toBeGreaterThan(0);
      await cleanupLeftovers(source, root, { now: Date.now() + 2 * hours });
      expect(await fileLeftovers(source, root)).toEqual([]);
      expect(await backend().count(path, plain)).toBe(1);
    });

    it('leaves datasets Strata did not write alone', async () => {
      const folder: DatasetPath = store.path('theirs');
      await source.put(`${folder.join('/')}/region=eu/part-0.csv`, Buffer.from('id,item\n1,a\n'));
      await expectError(
        backend().writer!.begin(target(folder, 'append', columns)),
        'invalid-input',
      );
      await expectError(
        backend().writer!.begin(target(folder, 'replace', columns)),
        'invalid-input',
      );
      await expectError(
        backend().writer!.begin(target(folder, 'create', columns)),
        'invalid-input',
      );
      expect(await backend().count(folder, plain)).toBe(1);
    });
  });
}
