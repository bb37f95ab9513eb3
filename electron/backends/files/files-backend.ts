/** Opening a local folder of data files: loaded with the first folder opened (engine.ts). */
import { promises as fs } from 'node:fs';
import { AppError } from '../../../shared/errors.js';
import type { BackendFactory } from '../backend.js';
import { openFileDatasets } from '../file-datasets/backend.js';
import { defaultCacheDir, fileDatasetCapabilities } from '../file-datasets/defaults.js';
import { describeFilesTarget, type FilesConfig } from './engine.js';

/** A local stat is cheap, but a partitioned folder is re-listed: check at most once a second. */
const revalidateMs = 1_000;

export const filesBackendFactory: BackendFactory<FilesConfig> = {
  capabilities: fileDatasetCapabilities,
  describeTarget: describeFilesTarget,
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
