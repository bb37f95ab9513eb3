/**
 * Worker thread: the CPU-heavy half of the versioning store — zstd compression of new chunks
 * and the decompress-and-rehash check of stored objects — so the main thread keeps reading rows
 * and answering the window while a snapshot or a verify runs, and both cores stay busy.
 */
import { readFileSync } from 'node:fs';
import { serveRpc } from '../jobs/rpc.js';
import { compressChunk, openObject } from './codec.js';

serveRpc({
  compress: (bytes: Uint8Array) => compressChunk(bytes),
  /** Throws (an AppError naming the object) unless the file decompresses to bytes of `hash`. */
  check: (file: string, hash: string, expectedSize?: number) => {
    const data = readFileSync(file);
    return openObject(data, hash, expectedSize).length;
  },
});
