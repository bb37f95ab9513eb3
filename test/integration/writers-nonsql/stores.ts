/**
 * The stores the non-SQL writer suite runs against, behind one shape: a fresh local folder, a
 * fresh bucket on s3rver (in-process), a unique key prefix in Redis's logical database 11, and a
 * fresh MongoDB database when a server is at hand. Each comes with the Backend Strata opens on
 * it and a way to list what a write keeps private while it runs (none may be left afterwards).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Backend } from '../../../electron/backends/backend.js';
import { openFileDatasets } from '../../../electron/backends/file-datasets/backend.js';
import { fileDatasetCapabilities } from '../../../electron/backends/file-datasets/defaults.js';
import {
  openSource,
  type SourceConfig,
} from '../../../electron/backends/file-datasets/open-source.js';
import type { WritableFileSource } from '../../../electron/backends/file-datasets/source.js';
import { openMongo } from '../../../electron/backends/mongodb/mongodb-backend.js';
import { redisFactory } from '../../../electron/backends/redis/redis-backend.js';
import type { DatasetPath } from '../../../shared/model.js';
import { createMongoDatabase, startMongo } from '../../support/mongo.js';
import { redisAvailable, testKeyspace } from '../redis/support.js';
import { startS3 } from '../s3/s3-server.js';
import { fileLeftovers } from './file-leftovers.js';

export type NonSqlKind = 'files' | 's3' | 'redis' | 'mongodb';

export interface NonSqlStore {
  kind: NonSqlKind;
  backend: Backend;
  /** The dataset path of a dataset called `name`. */
  path(name: string): DatasetPath;
  /** Whatever a write keeps private while it runs (temporary files, keys, collections). */
  leftovers(): Promise<string[]>;
  teardown(): Promise<void>;
}

export interface NonSqlSetup<Store extends NonSqlStore = NonSqlStore> {
  kind: NonSqlKind;
  skip: string | undefined;
  /** Decimals read back through the dataset cache are doubles; the others keep every digit. */
  decimals: 'exact' | 'double';
  /** Timestamps are kept to the millisecond (MongoDB's dates). */
  timestampMillis?: boolean;
  /** A JSON object becomes nested fields, read back as columns of their own (MongoDB). */
  nestsJson?: boolean;
  open(): Promise<Store>;
}

/** A folder or bucket, with its source for writing fixtures and checking files directly. */
export interface FileStore extends NonSqlStore {
  source: WritableFileSource;
  /** Where the upload's private folders go: `''` locally, `bucket/` on S3. */
  root: string;
}

/** Small parts, so that a few thousand rows already roll over to new part files. */
export const testPartSizes = { partBytes: 64 * 1024, bufferBytes: 256 * 1024 };

function fileStore(
  kind: 'files' | 's3',
  config: SourceConfig,
  cacheDir: string,
  datasetPath: (name: string) => DatasetPath,
  root: string,
  teardown: () => Promise<void>,
): FileStore {
  const backend = openFileDatasets(config, {
    capabilities: fileDatasetCapabilities,
    cacheDir,
    revalidateMs: 1_000,
    partSizes: testPartSizes,
  });
  const source = openSource(config);
  return {
    kind,
    backend,
    source,
    root,
    path: datasetPath,
    leftovers: () => fileLeftovers(source, root),
    teardown: async () => {
      await backend.close();
      source.close?.();
      await teardown();
    },
  };
}

export function filesSetup(): NonSqlSetup<FileStore> {
  return {
    kind: 'files',
    skip: undefined,
    decimals: 'double',
    open: async () => {
      const root = await mkdtemp(path.join(os.tmpdir(), 'strata-write-files-'));
      const cache = await mkdtemp(path.join(os.tmpdir(), 'strata-write-cache-'));
      return fileStore(
        'files',
        { kind: 'local', root },
        cache,
        (name) => ['out', name],
        '',
        async () => {
          await rm(root, { recursive: true, force: true });
          await rm(cache, { recursive: true, force: true });
        },
      );
    },
  };
}

export function s3Setup(): NonSqlSetup<FileStore> {
  return {
    kind: 's3',
    skip: undefined,
    decimals: 'double',
    open: async () => {
      const s3 = await startS3();
      const bucket = `writes-${Date.now()}`;
      await s3.createBucket(bucket);
      const cache = await mkdtemp(path.join(os.tmpdir(), 'strata-write-cache-'));
      return fileStore(
        's3',
        { ...s3.config(bucket), kind: 's3' },
        cache,
        // At the top of the bucket: s3rver leaves a prefix holding only deeper prefixes out of
        // delimited listings, so `out/<name>/` would be missing from the tree there (not on S3).
        (name) => [bucket, name],
        `${bucket}/`,
        async () => {
          await s3.close();
          await rm(cache, { recursive: true, force: true });
        },
      );
    },
  };
}

export const redisDb = 11;

export async function redisSetup(db = redisDb): Promise<NonSqlSetup> {
  return {
    kind: 'redis',
    skip: await redisAvailable(),
    decimals: 'exact',
    open: async () => {
      const space = await testKeyspace(db);
      const backend = await redisFactory.open(space.config);
      return {
        kind: 'redis',
        backend,
        path: (name) => [`db${db}`, 'hashes', `${space.prefix}${name}:`],
        leftovers: async () => {
          const found: string[] = [];
          let cursor = '0';
          do {
            const [next, keys] = await space.client.scan(
              cursor,
              'MATCH',
              // Only this run's: another run of the suite may be writing in the same database.
              `_strata_tmp:*:${space.prefix}*`,
              'COUNT',
              1_000,
            );
            found.push(...keys);
            cursor = next;
          } while (cursor !== '0');
          return found;
        },
        teardown: async () => {
          await backend.close();
          await space.cleanup();
        },
      };
    },
  };
}

export async function mongoSetup(): Promise<NonSqlSetup> {
  const server = await startMongo();
  const skip = typeof server === 'string' ? server : undefined;
  return {
    kind: 'mongodb',
    skip,
    decimals: 'exact',
    timestampMillis: true,
    nestsJson: true,
    open: async () => {
      if (typeof server === 'string') throw new Error(server);
      const database = await createMongoDatabase(server);
      const backend = await openMongo(database.config);
      return {
        kind: 'mongodb',
        backend,
        path: (name) => [database.name, name],
        leftovers: async () =>
          (await database.db.listCollections({}, { nameOnly: true }).toArray())
            .map((c) => c.name)
            .filter((n) => n.startsWith('_strata_')),
        teardown: async () => {
          await backend.close();
          await database.drop();
          await server.stop();
        },
      };
    },
  };
}
