/** A local folder of data files (CSV, TSV, JSON Lines, Parquet; hive partitions) as a store. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import type { BackendFactory } from '../backend.js';
import { openFileDatasets } from '../file-datasets/backend.js';
import { defaultCacheDir, fileDatasetCapabilities } from '../file-datasets/defaults.js';
import { defineEngine } from '../engine.js';

const configSchema = z.object({ kind: z.literal('files'), root: z.string().min(1) });
export type FilesConfig = z.infer<typeof configSchema>;

/** A local stat is cheap, but a partitioned folder is re-listed: check at most once a second. */
const revalidateMs = 1_000;

export const filesFactory: BackendFactory<FilesConfig> = {
  capabilities: fileDatasetCapabilities,
  describeTarget: (config) => config.root,
  validate: async (config) => {
    const stats = await fs.stat(config.root).catch(() => undefined);
    if (!stats) {
      throw new AppError(
        'not-found',
        `No folder ${config.root}`,
        'Check the path, or choose another folder.',
      );
    }
    if (!stats.isDirectory()) {
      throw new AppError(
        'invalid-input',
        `${config.root} is not a folder`,
        'Choose the folder that holds the data files.',
      );
    }
    await fs.access(config.root, fs.constants.R_OK).catch((error: unknown) => {
      throw new AppError(
        'permission-denied',
        `Cannot read the folder ${config.root}`,
        'Check its permissions.',
        {
          cause: error,
        },
      );
    });
  },
  open: async (config) =>
    openFileDatasets(
      { kind: 'local', root: config.root },
      { capabilities: fileDatasetCapabilities, cacheDir: defaultCacheDir(), revalidateMs },
    ),
};

export const filesEngine = defineEngine({
  kind: 'files',
  configSchema,
  factory: filesFactory,
  /** `file:DIR` (relative to the working directory) or `file:///abs/dir`. */
  fromUrl: (text) => {
    if (!text.startsWith('file:')) return undefined;
    let rest = text.slice('file:'.length);
    if (rest.startsWith('//')) {
      try {
        rest = decodeURIComponent(new URL(text).pathname);
      } catch {
        return undefined;
      }
    }
    return rest ? { kind: 'files' as const, root: path.resolve(rest) } : undefined;
  },
});
