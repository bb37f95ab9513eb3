/**
 * Keys an upload into Redis works with: the final hash of a row (`PREFIX` + its key's value),
 * the temporary key it is written to first (`_strata_tmp:<upload id>:` + the final key), the
 * scans that find what is under a prefix, and the cleanup of temporary keys a crashed upload
 * left behind. Upload ids carry their start time (file-datasets/upload-id.ts, shared).
 */
import type { Redis } from 'ioredis';
import { uploadStartedAt } from '../file-datasets/upload-id.js';
import { execPipeline, integerOrNull, scanReply } from './replies.js';
import { escapeGlob } from './values.js';

export const tempKeyPrefix = '_strata_tmp:';
/** Leftovers younger than this (or touched more recently) may belong to a running upload. */
export const leftoverAgeMs = 60 * 60 * 1000;
/** Keys per UNLINK, WATCH or pipeline chunk: bounded replies, no huge single command. */
export const keysPerCommand = 1_000;

export function tempKeyOf(uploadId: string, finalKey: string): string {
  return `${tempKeyPrefix}${uploadId}:${finalKey}`;
}

/** Every key matching `pattern` (optionally of one type), in SCAN batches. */
export async function* scanKeys(
  redis: Redis,
  pattern: string,
  type?: string,
): AsyncGenerator<Buffer[]> {
  let cursor = '0';
  do {
    const args: Array<string | number> = ['MATCH', pattern, 'COUNT', keysPerCommand];
    if (type) args.push('TYPE', type);
    const reply = scanReply(await redis.callBuffer('SCAN', cursor, ...args));
    if (reply.items.length > 0) yield reply.items;
    cursor = reply.cursor;
  } while (cursor !== '0');
}

/** Whether any key (of `type`, or any type) lies under `prefix`. */
export async function anyKeyUnder(redis: Redis, prefix: string, type?: string): Promise<boolean> {
  for await (const _batch of scanKeys(redis, `${escapeGlob(prefix)}*`, type)) return true;
  return false;
}

/** The hashes under `prefix` (what the `hashes` dataset of that prefix shows). */
export async function hashesUnder(redis: Redis, prefix: string): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  for await (const batch of scanKeys(redis, `${escapeGlob(prefix)}*`, 'hash')) keys.push(...batch);
  return keys;
}

export async function unlinkAll(redis: Redis, keys: ReadonlyArray<string | Buffer>): Promise<void> {
  for (let i = 0; i < keys.length; i += keysPerCommand) {
    await redis.unlink(...keys.slice(i, i + keysPerCommand));
  }
}

/**
 * Removes the temporary keys of uploads that started more than `olderThanMs` ago and whose keys
 * have all been idle that long (a long upload keeps writing, so its newest keys are not idle).
 * Returns how many uploads were cleaned up. SCAN walks the whole database: its cost follows the
 * database's size, paid once per upload.
 */
export async function cleanupLeftovers(
  redis: Redis,
  options: { olderThanMs?: number; now?: number } = {},
): Promise<number> {
  const { olderThanMs = leftoverAgeMs, now = Date.now() } = options;
  const byUpload = new Map<string, Buffer[]>();
  for await (const batch of scanKeys(redis, `${escapeGlob(tempKeyPrefix)}*`)) {
    for (const key of batch) {
      const rest = key.subarray(tempKeyPrefix.length);
      const id = rest.subarray(0, rest.indexOf(':')).toString('latin1');
      const started = uploadStartedAt(id);
      if (started === undefined || now - started < olderThanMs) continue;
      if (!byUpload.has(id)) byUpload.set(id, []);
      byUpload.get(id)!.push(key);
    }
  }
  let cleaned = 0;
  for (const keys of byUpload.values()) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(0, 100)) pipeline.object('IDLETIME', key);
    const idle = (await execPipeline(pipeline)).map(integerOrNull);
    // Seconds; a key gone since the scan (null) is no sign of life.
    if (idle.some((s) => s !== null && s * 1000 < olderThanMs)) continue;
    await unlinkAll(redis, keys);
    cleaned++;
  }
  return cleaned;
}
