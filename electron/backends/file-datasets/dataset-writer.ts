/**
 * The DatasetWriter of a folder or bucket (shared by the files and S3 engines, over the same
 * WritableFileSource): a dataset is a folder of gzip CSV parts, optionally in hive partition
 * folders, plus the `_strata_manifest.json` that lists them (manifest.ts). How one upload stays
 * atomic is told in write-session.ts; what is checked first, in write-plan.ts. Each begin first
 * removes the leftovers of crashed uploads more than an hour old (write-cleanup.ts).
 */
import { AppError } from '../../../shared/errors.js';
import type { DatasetPath } from '../../../shared/model.js';
import { toAppError } from '../../monitor/errors.js';
import type { DatasetWriter } from '../writer.js';
import type { WritableFileSource } from './source.js';
import { newUploadId } from './upload-id.js';
import { cleanupLeftovers } from './write-cleanup.js';
import { planFileWrite } from './write-plan.js';
import { FileWriteSession, type PartSizes } from './write-session.js';

export interface FileWriterOptions {
  sizes?: Partial<PartSizes>;
  /** Called once a commit has published, so cached descriptions of the dataset are dropped. */
  onCommit?: (path: DatasetPath) => void;
}

/**
 * ~64 MB of CSV per part (Spark's and Athena's sweet spot is 64–256 MB of data; gzip makes ours
 * 5–20 MB on disk), and at most 128 MB buffered across all open parts.
 */
export const defaultPartSizes: PartSizes = { partBytes: 64 << 20, bufferBytes: 128 << 20 };

export function createFileDatasetWriter(
  source: WritableFileSource,
  options: FileWriterOptions = {},
): DatasetWriter {
  const sizes = { ...defaultPartSizes, ...options.sizes };
  return {
    async begin(target, beginOptions) {
      const signal = beginOptions?.signal;
      if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
      try {
        await cleanupLeftovers(source, source.rootOf(target.path.join('/')), { signal });
        const plan = await planFileWrite(source, target, signal);
        const session = new FileWriteSession(source, plan, newUploadId(), sizes, signal);
        return {
          write: (rows) => session.write(rows),
          abort: () => session.abort(),
          commit: async () => {
            const result = await session.commit();
            options.onCommit?.(target.path);
            return result;
          },
        };
      } catch (error) {
        throw toAppError(error);
      }
    },
  };
}
