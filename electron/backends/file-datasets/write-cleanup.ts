/**
 * Where an upload works before it publishes, and how the leftovers of one that crashed are found
 * and removed. Each upload has a folder `_strata_tmp/<upload id>/` at the top of the folder or
 * bucket (hidden from the tree: names starting with `_` are sidecars): its parts under `data/`
 * and, once it starts publishing, a journal naming the files it moves into the dataset and the
 * old parts a replace retires. From the journal and the dataset's manifest, cleanup can tell
 * whether the crashed upload got as far as its manifest, and so whether to finish it (delete the
 * retired parts) or undo it (delete the parts it moved) — never touching a file a manifest lists.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { manifestSpec, readManifest } from './manifest.js';
import type { SourceEntry, WritableFileSource } from './source.js';
import { uploadStartedAt } from './upload-id.js';

export const tempFolderName = '_strata_tmp';
/** Leftovers younger than this may belong to an upload still running in another window. */
export const leftoverAgeMs = 60 * 60 * 1000;

export function tempPrefix(root: string, uploadId: string): string {
  return `${root}${tempFolderName}/${uploadId}/`;
}

export function journalKey(temp: string): string {
  return `${temp}journal.json`;
}

const journalSchema = z.object({
  uploadId: z.string(),
  /** The dataset folder's prefix, ending with `/`. */
  folder: z.string(),
  moved: z.array(z.string()),
  retire: z.array(z.string()),
});
export type Journal = z.infer<typeof journalSchema>;

export function journalBytes(journal: Journal): Uint8Array {
  return Buffer.from(JSON.stringify(journal));
}

export interface CleanupOptions {
  olderThanMs?: number;
  now?: number;
  signal?: AbortSignal;
}

/**
 * Removes the leftovers of uploads under `root` (`''`, or `bucket/` on S3) whose last file was
 * written more than `olderThanMs` ago. Returns how many uploads were cleaned up. A leftover that
 * cannot be judged (its dataset's manifest unreadable) is left for a later run.
 */
export async function cleanupLeftovers(
  source: WritableFileSource,
  root: string,
  options: CleanupOptions = {},
): Promise<number> {
  const { olderThanMs = leftoverAgeMs, now = Date.now(), signal } = options;
  const prefix = `${root}${tempFolderName}/`;
  // Walked rather than listed by folder: some S3-compatible servers (s3rver) leave a prefix out
  // of a delimited listing when nothing lies directly in it, and the upload folders are small.
  const files = await source.walk(prefix, signal).catch((error: unknown) => {
    // Locally, no temporary folder yet; on S3 an empty prefix lists as empty, so not-found there
    // means the bucket itself is missing, which the upload must report.
    if (error instanceof AppError && error.code === 'not-found' && root === '') return [];
    throw error;
  });
  const uploads = new Map<string, SourceEntry[]>();
  for (const file of files) {
    const id = file.key.slice(prefix.length, file.key.indexOf('/', prefix.length));
    if (!uploads.has(id)) uploads.set(id, []);
    uploads.get(id)!.push(file);
  }
  let cleaned = 0;
  for (const [id, entries] of uploads) {
    const started = uploadStartedAt(id);
    if (started === undefined) continue; // not ours
    const folder = `${prefix}${id}/`;
    try {
      // A long upload keeps writing parts: its age is that of its newest file.
      const last = Math.max(started, ...entries.map((f) => f.modified ?? 0));
      if (now - last < olderThanMs) continue;
      if (entries.some((f) => f.key === journalKey(folder))) {
        const settled = await settleJournal(source, journalKey(folder), signal);
        if (!settled) continue;
      }
      await source.removeFolder(folder, signal);
      cleaned++;
    } catch (error) {
      if (signal?.aborted) throw error;
      // One stuck leftover must not stop the upload that found it; a later run tries again.
    }
  }
  return cleaned;
}

/**
 * Finishes or undoes a crashed publish from its journal; false when it cannot be told which.
 * Published means the current manifest lists a file the upload moved (or is its own).
 */
async function settleJournal(
  source: WritableFileSource,
  key: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const entry = await source.stat(key, signal);
  if (!entry) return true;
  const bytes = await source.readRange(key, 0, entry.size, signal);
  const parsed = journalSchema.safeParse(safeJson(new TextDecoder().decode(bytes)));
  if (!parsed.success) return true; // a torn journal: the publish never started moving files
  const journal = parsed.data;
  let manifest;
  try {
    manifest = await readManifest(source, journal.folder, signal);
  } catch {
    return false;
  }
  const listed = new Set(
    manifest ? manifestSpec('', journal.folder, manifest).files.map((f) => f.key) : [],
  );
  const published =
    manifest?.uploadId === journal.uploadId || journal.moved.some((k) => listed.has(k));
  const doomed = (published ? journal.retire : journal.moved).filter((k) => !listed.has(k));
  await source.remove(doomed, signal);
  return true;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
