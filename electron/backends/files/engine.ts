/** A local folder of data files (CSV, TSV, JSON Lines, Parquet; hive partitions) as a store. */
import path from 'node:path';
import { z } from 'zod';
import { fileDatasetCapabilities } from '../file-datasets/defaults.js';
import { defineEngine, lazyFactory } from '../engine.js';

const configSchema = z.object({ kind: z.literal('files'), root: z.string().min(1) });
export type FilesConfig = z.infer<typeof configSchema>;

export const describeFilesTarget = (config: FilesConfig): string => config.root;

export const filesFactory = lazyFactory(
  { capabilities: fileDatasetCapabilities, describeTarget: describeFilesTarget },
  async () => (await import('./files-backend.js')).filesBackendFactory,
);

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
