/**
 * Worker thread: the CPU-heavy half of the versioning store — zstd compression of new chunks
 * and the decompress-and-rehash check of stored objects — so the main thread keeps reading rows
 * and answering the window while a snapshot or a verify runs, and both cores stay busy.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { serveRpc } from '../jobs/rpc.js';
import { compressChunk, corrupted, deltaBaseOf, openObject, type DeltaBase } from './codec.js';
import type { ObjectLocation } from './object-store.js';

serveRpc({
  /**
   * A group of chunks per call, each with its base or none: one message each way per group, not
   * per chunk (per chunk, the messaging cost the main thread about as much as the hashing).
   */
  compressAll: (chunks: Uint8Array[], bases: (DeltaBase | undefined)[]) =>
    chunks.map((bytes, i) => compressChunk(bytes, bases[i])),
  /**
   * Throws (an AppError naming the object) unless its bytes decompress to bytes of `hash` — for
   * a delta, with its base, which must be whole and sound.
   */
  check: (
    location: ObjectLocation,
    hash: string,
    expectedSize?: number,
    base?: ObjectLocation & { hash: string },
  ) => {
    const data = readLocation(location);
    return openObject(
      data,
      hash,
      expectedSize,
      base === undefined ? undefined : readBase(base, hash),
    ).length;
  },
});

/** An object's file, or its range of a pack. */
function readLocation(location: ObjectLocation): Buffer {
  if (location.offset === undefined) return readFileSync(location.file);
  const fd = openSync(location.file, 'r');
  try {
    const out = Buffer.allocUnsafe(location.size);
    const read = readSync(fd, out, 0, location.size, location.offset);
    return out.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function readBase(base: ObjectLocation & { hash: string }, of: string): Buffer {
  let data: Buffer;
  try {
    data = readLocation(base);
  } catch {
    throw corrupted(of, `the object it is a delta of, ${base.hash}, is missing or unreadable`);
  }
  if (deltaBaseOf(data) !== undefined) {
    throw corrupted(of, `the object it is a delta of, ${base.hash}, is a delta itself`);
  }
  return openObject(data, base.hash);
}
