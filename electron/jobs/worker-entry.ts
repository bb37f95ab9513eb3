/**
 * Where a worker's code lives. From source (tests, `tsx`, the web host in development) a worker is
 * a `.ts` module started through a small bootstrap that registers tsx inside the thread; in the
 * bundled app each worker is a `.js` file beside `main.js` (see scripts/build.mjs).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

declare const __STRATA_BUNDLED__: boolean | undefined;

/** Every worker the app starts, by name: its source file relative to this folder. */
export const workerSources = {
  'sqlite-reader': '../backends/sqlite/sqlite-worker.ts',
  'sqlite-writer': '../backends/sqlite/sqlite-writer-worker.ts',
  'sqlite-scan': '../backends/sqlite/sqlite-scan-worker.ts',
  'demo-generator': '../demo/demo-worker.ts',
  'file-datasets': '../backends/file-datasets/worker.ts',
  ingest: '../ingest/ingest-worker.ts',
  sniff: '../ingest/sniff-worker.ts',
  versions: '../versions/versions-worker.ts',
} as const;
export type WorkerName = keyof typeof workerSources;

const isBundled = typeof __STRATA_BUNDLED__ !== 'undefined' && __STRATA_BUNDLED__;

export function startWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (isBundled) {
    return new Worker(path.join(here, `${name}.js`), options);
  }
  const entry = new URL(workerSources[name], import.meta.url).href;
  return new Worker(path.join(here, 'tsx-bootstrap.mjs'), {
    ...options,
    workerData: { ...(options.workerData as object | undefined), __entry: entry },
  });
}
