/**
 * What an upload into a folder or bucket may have left behind: anything under `_strata_tmp/`,
 * and any Strata part file that no manifest lists (an unfinished publish, or the old parts of a
 * replace that were never deleted).
 */
import { AppError } from '../../../shared/errors.js';
import { isStrataPart } from '../../../electron/backends/file-datasets/formats.js';
import { lastSegment } from '../../../electron/backends/file-datasets/hive.js';
import {
  manifestName,
  manifestSpec,
  readManifest,
} from '../../../electron/backends/file-datasets/manifest.js';
import type { FileSource } from '../../../electron/backends/file-datasets/source.js';

export async function fileLeftovers(source: FileSource, root: string): Promise<string[]> {
  const files = await source.walk(root).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not-found') return [];
    throw error;
  });
  const listed = new Set<string>();
  for (const file of files) {
    if (lastSegment(file.key) !== manifestName) continue;
    const folder = file.key.slice(0, -manifestName.length);
    const manifest = await readManifest(source, folder);
    for (const part of manifestSpec('', folder, manifest!).files) listed.add(part.key);
  }
  return files
    .map((f) => f.key)
    .filter(
      (key) =>
        key.startsWith(`${root}_strata_tmp/`) ||
        (isStrataPart(lastSegment(key)) && !listed.has(key)),
    );
}
