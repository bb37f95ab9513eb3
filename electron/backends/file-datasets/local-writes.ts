/**
 * The write side of a local folder (see WritableFileSource). Durable where a publish depends on
 * it: a put is written to a hidden temporary file beside its target, fsynced, renamed over it,
 * and the folder fsynced, so after a crash the file is either the old one or all of the new one;
 * a move is a rename followed by an fsync of the folder it landed in.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { WritableFileSource } from './source.js';

type LocalWrites = Pick<WritableFileSource, 'put' | 'moveInto' | 'remove' | 'removeFolder'>;

export function localWrites(base: string, resolve: (key: string) => string): LocalWrites {
  const writes: LocalWrites = {
    async put(key, bytes) {
      const full = resolve(key);
      const dir = path.dirname(full);
      await fs.mkdir(dir, { recursive: true });
      // A leading dot hides it from listings (local-source skips dotfiles) while it is written.
      const temp = path.join(dir, `.${path.basename(full)}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        const handle = await fs.open(temp, 'w');
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fs.rename(temp, full);
      } catch (error) {
        await fs.rm(temp, { force: true });
        throw error;
      }
      await syncDir(dir);
    },
    async moveInto(from, to) {
      const source = resolve(from);
      const target = resolve(to);
      const dir = path.dirname(target);
      await fs.mkdir(dir, { recursive: true });
      try {
        await fs.rename(source, target);
      } catch (error) {
        // Another file system mounted inside the folder: copy, then let the folder removal go.
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await fs.copyFile(source, target);
        const handle = await fs.open(target, 'r');
        await handle.sync().finally(() => handle.close());
      }
      await syncDir(dir);
    },
    async remove(keys) {
      const dirs = new Set<string>();
      for (const key of keys) {
        const full = resolve(key);
        await fs.rm(full, { force: true });
        dirs.add(path.dirname(full));
      }
      for (const dir of dirs) await pruneEmpty(base, dir);
    },
    async removeFolder(prefix) {
      const full = resolve(prefix);
      if (full === base) return; // never the whole folder the connection opens
      await fs.rm(full, { recursive: true, force: true });
      await pruneEmpty(base, path.dirname(full));
    },
  };
  return writes;
}

/** Makes a rename or a new file in `dir` durable (a no-op where directories cannot be opened). */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; its renames are durable by the file system's journal.
  } finally {
    await handle?.close();
  }
}

/**
 * Removes `dir` and its parents while they are empty, stopping below `base`: a replaced
 * partition's folder goes with its last file, as it would on S3 where folders are only prefixes.
 */
async function pruneEmpty(base: string, dir: string): Promise<void> {
  let current = dir;
  while (current.startsWith(base + path.sep)) {
    try {
      await fs.rmdir(current);
    } catch (error) {
      // Not empty: its parents are not empty either. Already gone: look at its parent.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
    current = path.dirname(current);
  }
}
