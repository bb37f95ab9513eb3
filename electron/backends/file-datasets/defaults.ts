/** What the folder and bucket engines share: capabilities, and where caches go by default. */
import os from 'node:os';
import path from 'node:path';
import type { Capabilities } from '../../../shared/model.js';

/** Sorting and filtering are served by the dataset cache; partitions are hive folders. */
export const fileDatasetCapabilities: Capabilities = {
  serverSort: true,
  serverFilter: true,
  transactions: false,
  partitions: true,
  schemas: true,
  write: true,
};

/** `STRATA_CACHE_DIR`, else a folder under the OS temp dir: caches are rebuilt at will. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STRATA_CACHE_DIR ?? path.join(os.tmpdir(), 'strata-cache', 'datasets');
}
