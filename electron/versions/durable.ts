/**
 * File writes the versioning store can trust after a crash or a full disk: a temporary file,
 * flushed, renamed into place, and the directory flushed — and on any failure the temporary file
 * removed, so a full disk leaves nothing behind (electron/storage/atomic-file.ts keeps the temp).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';

/** Where temporary files go: one folder, so gc can sweep what a killed process left. */
export function tempName(tmpDir: string): string {
  return path.join(tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `data` to a temp file in `tmpDir` (same file system), flushes it and renames it to
 * `file`. The directory of `file` is flushed unless `syncDir` is false — callers that write many
 * files into a few folders flush each folder once, before anything refers to the files.
 */
export async function writeDurable(
  file: string,
  data: Uint8Array | string,
  tmpDir: string,
  syncDir = true,
): Promise<void> {
  const temp = tempName(tmpDir);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw storeError(error);
  }
  if (syncDir) await syncDirectory(path.dirname(file));
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A file-system error as the store's own: a full disk says what happened to the store. */
export function storeError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError(
      'unavailable',
      'The disk holding the versions store is full',
      'Free some space and try again; the store was left as it was.',
      { cause: error },
    );
  }
  return error;
}

/** Whether a process is still running (EPERM: it is, under another user). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
