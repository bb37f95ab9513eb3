/**
 * The conformance suite against a local folder: the fixture as `lake/people.csv`, the view as
 * `lake/adults.view.json`, and again as Parquet; sorts, filters and counts go through the
 * dataset cache.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { filesFactory } from '../../../electron/backends/files/engine.js';
import { writePeopleLake } from '../files/write-fixtures.js';
import { runBackendConformance } from './conformance.js';

async function lake(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'strata-files-conformance-'));
  process.env.STRATA_CACHE_DIR = path.join(root, '.cache');
  await writePeopleLake(root);
  return root;
}

runBackendConformance('Local folder (Parquet)', async () => {
  const root = await lake();
  return {
    backend: await filesFactory.open({ kind: 'files', root }),
    path: ['pq', 'people.parquet'],
    viewPath: ['pq', 'adults.view.json'],
    exactTreeCounts: true,
    errorCases: [],
    teardown: () => rm(root, { recursive: true, force: true }),
  };
});

runBackendConformance('Local folder (CSV)', async () => {
  const root = await lake();
  await mkdir(path.join(root, 'broken'));
  await writeFile(path.join(root, 'broken', 'bad.csv'), 'a,b\n1,2\n3,"open\n4,5\n');
  const backend = await filesFactory.open({ kind: 'files', root });
  const missing = path.join(root, 'no-such-folder');
  return {
    backend,
    path: ['lake', 'people.csv'],
    viewPath: ['lake', 'adults.view.json'],
    exactTreeCounts: true,
    errorCases: [
      {
        label: 'missing folder',
        code: 'not-found',
        mentions: missing,
        attempt: () => filesFactory.validate({ kind: 'files', root: missing }, { readOnly: true }),
      },
      {
        label: 'malformed CSV',
        code: 'query-failed',
        mentions: 'line 3',
        attempt: () =>
          backend.count(['broken', 'bad.csv'], {
            sort: [],
            filters: [{ column: 'a', op: 'notNull' }],
          }),
      },
    ],
    teardown: () => rm(root, { recursive: true, force: true }),
  };
});
