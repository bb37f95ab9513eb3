/**
 * How a chunk becomes an object: named by the SHA-256 of its canonical bytes, stored as one zstd
 * frame (level 3). Chosen by measurement on sales-like rows (scratch runs of the bench's codec
 * section, 2-core EPYC with SHA-NI): SHA-256 hashed 0.8–1.4 GB/s against BLAKE2b-512's 0.4–0.75
 * (and SHA-1/MD5 are broken); zstd-3 compressed ~120–170 MB/s at 2.55×, brotli-4 ~25–35 MB/s at
 * 2.66×, gzip-6 ~11–20 MB/s at 2.54× — zstd keeps 96% of brotli's ratio at 4–6× its speed, and
 * decompresses faster than either.
 */
import { createHash } from 'node:crypto';
import { Compressor, Decompressor } from 'zstd-napi';
import { AppError } from '../../shared/errors.js';

export const hashName = 'sha256';
export const compressionName = 'zstd-3';
const hashPattern = /^[0-9a-f]{64}$/;

let compressor: Compressor | undefined;
let decompressor: Decompressor | undefined;

export function hashBytes(bytes: Uint8Array): string {
  return createHash(hashName).update(bytes).digest('hex');
}

export function isObjectHash(text: string): boolean {
  return hashPattern.test(text);
}

/** One compressor per thread, reused: creating a zstd context per chunk costs more than a chunk. */
export function compressChunk(bytes: Uint8Array): Buffer {
  if (!compressor) {
    compressor = new Compressor();
    compressor.setParameters({ compressionLevel: 3, checksumFlag: false, contentSizeFlag: true });
  }
  return compressor.compress(bytes);
}

/**
 * The canonical bytes of an object, checked against its name: a corrupted object is an error
 * naming it, never data. `expectedSize`, when the manifest gives it, also bounds what a damaged
 * or hostile frame can inflate to.
 */
export function openObject(data: Uint8Array, hash: string, expectedSize?: number): Buffer {
  decompressor ??= new Decompressor();
  let bytes: Buffer;
  try {
    bytes = decompressor.decompress(data);
  } catch (error) {
    throw corrupted(hash, `it does not decompress (${(error as Error).message})`);
  }
  if (expectedSize !== undefined && bytes.length !== expectedSize) {
    throw corrupted(hash, `it holds ${bytes.length} bytes, not ${expectedSize}`);
  }
  if (hashBytes(bytes) !== hash) throw corrupted(hash, 'its bytes no longer hash to its name');
  return bytes;
}

export function corrupted(hash: string, why: string): AppError {
  return new AppError(
    'internal',
    `Object ${hash} in the versions store is corrupted: ${why}`,
    'Run `strata verify` to see which snapshots need it.',
  );
}
