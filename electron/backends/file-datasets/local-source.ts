/** A local folder as a FileSource: keys are paths relative to the root, never escaping it. */
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { localWrites } from './local-writes.js';
import type { SourceEntry, SourceListing, WritableFileSource } from './source.js';

export function localSource(root: string): WritableFileSource {
  const base = path.resolve(root);
  const resolve = (key: string): string => {
    const full = path.resolve(base, key);
    if (full !== base && !full.startsWith(base + path.sep)) {
      throw new AppError('invalid-input', `“${key}” is outside ${base}`);
    }
    return full;
  };
  const entry = (key: string, stats: Stats): SourceEntry => ({
    key,
    size: stats.size,
    modified: stats.mtimeMs,
    // mtimeMs has sub-millisecond precision here, so a rewrite of the same size is still seen.
    version: `${stats.mtimeMs}:${stats.size}:${stats.ino}`,
  });
  const source: WritableFileSource = {
    ...localWrites(base, resolve),
    rootOf: () => '',
    label: base,
    identity: `file:${base}`,
    describeKey: (key) => resolve(key),
    async list(prefix) {
      const dir = resolve(prefix);
      const listing: SourceListing = { folders: [], files: [] };
      let names;
      try {
        names = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        throw folderError(error, dir);
      }
      for (const dirent of names) {
        if (dirent.name.startsWith('.')) continue;
        const key = `${prefix}${dirent.name}`;
        // Follow symlinks: a data folder linked into the tree is browsed like any other.
        const stats = await fs.stat(path.join(dir, dirent.name)).catch(() => undefined);
        if (!stats) continue;
        if (stats.isDirectory()) listing.folders.push(`${key}/`);
        else if (stats.isFile()) listing.files.push(entry(key, stats));
      }
      listing.folders.sort();
      listing.files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return listing;
    },
    async walk(prefix, signal) {
      const { folders, files } = await source.list(prefix, signal);
      const nested = await Promise.all(folders.map((folder) => source.walk(folder, signal)));
      return [...files, ...nested.flat()].sort((a, b) =>
        a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
      );
    },
    async stat(key) {
      const stats = await fs.stat(resolve(key)).catch(() => undefined);
      return stats?.isFile() ? entry(key, stats) : undefined;
    },
    async readRange(key, start, end) {
      const handle = await fs.open(resolve(key), 'r');
      try {
        const buffer = Buffer.alloc(Math.max(0, end - start));
        let filled = 0;
        while (filled < buffer.length) {
          const { bytesRead } = await handle.read(
            buffer,
            filled,
            buffer.length - filled,
            start + filled,
          );
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return buffer.subarray(0, filled);
      } finally {
        await handle.close();
      }
    },
    async *stream(key, start = 0, signal) {
      const stream = createReadStream(resolve(key), { start, highWaterMark: 256 * 1024, signal });
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } finally {
        stream.destroy();
      }
    },
  };
  return source;
}

function folderError(error: unknown, dir: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new AppError(
      'not-found',
      `No folder ${dir}`,
      'Check the path, or choose another folder.',
      {
        cause: error,
      },
    );
  }
  if (code === 'ENOTDIR') return new AppError('invalid-input', `${dir} is not a folder`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError(
      'permission-denied',
      `Cannot read the folder ${dir}`,
      'Check its permissions.',
      {
        cause: error,
      },
    );
  }
  return error;
}
