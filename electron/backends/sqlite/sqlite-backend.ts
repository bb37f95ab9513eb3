/**
 * The SQLite engine: reads run in a pool of worker threads, each with its own read-only
 * connection; each write runs in a worker of its own with a read-write one (sqlite-writer.ts).
 */
import type { DatasetSchema } from '../../../shared/model.js';
import { viewKey } from '../sql/view-query.js';
import { WorkerPool } from '../../jobs/worker-pool.js';
import type { Backend, BackendFactory } from '../backend.js';
import { checkSqliteFile } from './sqlite-file-check.js';
import { databaseFileDescriptor } from './database-files.js';
import { SqliteScanner } from './sqlite-scan.js';
import { createSqliteWriter } from './sqlite-writer.js';
import { sqliteCapabilities as capabilities, describeSqliteTarget } from './engine.js';

export interface SqliteConfig {
  kind: 'sqlite';
  path: string;
}

/** Two readers: a long sort on one leaves the other free for the tree, counts and other views. */
const readerThreads = 2;

export const sqliteFactory: BackendFactory<SqliteConfig> = {
  capabilities,
  describeTarget: describeSqliteTarget,
  validate: (config, options) => checkSqliteFile(config.path, options),
  open: async (config) => openSqlite(config.path),
};

function openSqlite(file: string): Backend {
  const pool = new WorkerPool('sqlite-reader', { workerData: { file } }, readerThreads);
  const scanner = new SqliteScanner(file);
  const describe = (path: string[], signal: AbortSignal | undefined) =>
    pool.call<DatasetSchema>('describe', [path], signal ? { signal } : {});
  const affinity = (path: string[], view?: Parameters<typeof viewKey>[0]) =>
    view ? `${path.join('.')}|${viewKey(view)}` : path.join('.');
  return {
    capabilities,
    tree: (options) => pool.call('tree', [], { ...options }),
    describe: (path, options) => pool.call('describe', [path], { ...options }),
    page: (path, view, offset, limit, options) =>
      pool.call('page', [path, view, offset, limit], {
        ...options,
        affinity: affinity(path, view),
      }),
    count: (path, view, options) =>
      pool.call('count', [path, view], { ...options, affinity: affinity(path, view) }),
    cell: (path, view, row, column, options) =>
      pool.call('cell', [path, view, row, column], { ...options, affinity: affinity(path, view) }),
    // Range checksums keep to one worker per dataset, where its aggregate and statements live.
    checksumRanges: (path, request, options) =>
      pool.call('checksumRanges', [path, request], { ...options, affinity: affinity(path) }),
    keyBoundaries: (path, request, options) =>
      pool.call('keyBoundaries', [path, request], { ...options, affinity: affinity(path) }),
    // The descriptor is opened here, before the worker's connection: see table-fingerprint.ts.
    fingerprint: async (path, options) =>
      pool.call<string | undefined>('fingerprint', [databaseFileDescriptor(file), path], {
        ...options,
        affinity: affinity(path),
      }),
    scan: async function* (path, options) {
      const schema = await describe(path, options.signal);
      yield* scanner.scan(path, schema, [...(options.orderBy ?? schema.key)], options);
    },
    scanEncoded: async function* (path, options) {
      const schema = await describe(path, options.signal);
      const orderBy = [...(options.orderBy ?? schema.key)];
      yield* scanner.scanEncoded(path, schema, orderBy, options);
    },
    writer: createSqliteWriter(file),
    close: async () => {
      await Promise.all([pool.close(), scanner.close()]);
    },
  };
}
