/**
 * Worker thread: the CPU-heavy half of the versioning store — zstd compression of new chunks
 * and the decompress-and-rehash check of stored objects — so the main thread keeps reading rows
 * and answering the window while a snapshot or a verify runs, and both cores stay busy.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { serveRpc } from '../jobs/rpc.js';
import {
  compressChunkInto,
  corrupted,
  deltaBaseOf,
  objectBound,
  openObject,
  type DeltaBase,
} from './codec.js';
import type { ObjectLocation } from './object-store.js';
import {
  appendToPackSync,
  packRecordHeader,
  writeRecordHeader,
  type AppendedObject,
} from './packs.js';

/** A group's objects, written here before they go to the pack: kept, so made once. */
let out = Buffer.alloc(0);

serveRpc({
  /**
   * Compresses a group of chunks straight into the snapshot's pack, appended in one write, and
   * answers where each object landed (and the base of each delta). One message each way per
   * group; the chunks arrive as views of shared memory and the objects never cross back, so
   * neither thread makes a buffer per chunk (per chunk, messages and copies had cost the main
   * thread about as much as hashing, and their garbage was most of a snapshot's memory growth).
   */
  compressToPack: (
    pack: string,
    chunks: Uint8Array[],
    hashes: string[],
    bases: (DeltaBase | undefined)[],
  ): AppendedObject[] => {
    let room = 0;
    for (const chunk of chunks) room += packRecordHeader + objectBound(chunk.byteLength);
    if (out.length < room) out = Buffer.allocUnsafe(room);
    const records: AppendedObject[] = [];
    let end = 0;
    chunks.forEach((chunk, i) => {
      const offset = end + packRecordHeader;
      const length = compressChunkInto(out, offset, chunk, bases[i]);
      writeRecordHeader(out, end, hashes[i]!, length);
      const base = deltaBaseOf(out.subarray(offset, offset + length));
      records.push({ hash: hashes[i]!, offset, length, ...(base ? { base } : {}) });
      end = offset + length;
    });
    const at = appendToPackSync(pack, out.subarray(0, end));
    return records.map((record) => ({ ...record, offset: at + record.offset }));
  },
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
