/**
 * How a chunk becomes an object: named by the SHA-256 of its canonical bytes, stored as one zstd
 * frame (level 3) — or, for a chunk that replaces one of the parent snapshot's, as a *delta*: the
 * magic `SDZ1`, the base object's hash, then a zstd frame compressed with the base's canonical
 * bytes as its dictionary (what `zstd --patch-from` does). One changed row in a 64 KiB chunk then
 * costs tens of bytes, not the ~25 KiB of a fresh frame. A base is always a whole frame, never a
 * delta itself, so reading any object takes at most one more read.
 *
 * Chosen by measurement on sales-like rows (the bench's codec section, 2-core EPYC with SHA-NI):
 * SHA-256 hashed 0.8–1.4 GB/s against BLAKE2b-512's 0.4–0.75 (and SHA-1/MD5 are broken); zstd
 * compressed ~2–6× faster than brotli-4 and gzip-6 for 96% of brotli's ratio, and decompresses
 * faster than either. Level 3, not 2: on fixed 64 KiB slices level 2 ran ~30% faster for a
 * 1.2% bigger result, but on the snapshot's own chunks (the bench's codec section) the two ran
 * alike (158 against 168 MB/s), so the smaller output wins.
 */
import { createHash } from 'node:crypto';
import { Decompressor } from 'zstd-napi';
import zstd from 'zstd-napi/binding.js';
import { AppError } from '../../shared/errors.js';

export const hashName = 'sha256';
export const compressionName = 'zstd-3';
const hashPattern = /^[0-9a-f]{64}$/;

const deltaMagic = Buffer.from('SDZ1', 'latin1');
const deltaHeader = deltaMagic.length + 32;
/** zstd reads a dictionary that starts with this as a trained one, not as raw content. */
const zstdDictionaryMagic = Buffer.from([0x37, 0xa4, 0x30, 0xec]);
/** Under this, a delta saves too little to be worth keeping its base alive for. */
const minDeltaBase = 256;

let wholeContext: zstd.CCtx | undefined;
let deltaContext: zstd.CCtx | undefined;
/** Where a whole frame is tried beside a delta, to keep the smaller. */
let scratch = Buffer.alloc(0);
let decompressor: Decompressor | undefined;
let deltaDecompressor: Decompressor | undefined;

export interface DeltaBase {
  hash: string;
  /** The base's canonical bytes. */
  bytes: Uint8Array;
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash(hashName).update(bytes).digest('hex');
}

export function isObjectHash(text: string): boolean {
  return hashPattern.test(text);
}

/** The most bytes the object of a chunk of `size` bytes can take. */
export function objectBound(size: number): number {
  return deltaHeader + zstd.compressBound(size);
}

/**
 * The object of a chunk, written into `out` at `at` (with `objectBound` bytes of room): answers
 * its length. Given a base, the chunk is stored as a delta of it — unless the delta is no
 * smaller than a whole frame (an unrelated base), which then needs no base kept alive. Written
 * in place, so a snapshot's worker makes no buffer per chunk.
 */
export function compressChunkInto(
  out: Uint8Array,
  at: number,
  bytes: Uint8Array,
  base?: DeltaBase,
): number {
  // One context per thread, reused: creating a zstd context per chunk costs more than a chunk.
  wholeContext ??= compressionContext();
  if (!base || !usableBase(base.bytes)) return wholeContext.compress2(out.subarray(at), bytes);
  deltaContext ??= compressionContext();
  deltaContext.loadDictionary(base.bytes);
  const frame = deltaContext.compress2(out.subarray(at + deltaHeader), bytes);
  if (frame > 1024) {
    if (scratch.length < objectBound(bytes.length))
      scratch = Buffer.alloc(objectBound(bytes.length));
    const whole = wholeContext.compress2(scratch, bytes);
    if (whole <= frame + deltaHeader) {
      out.set(scratch.subarray(0, whole), at);
      return whole;
    }
  }
  out.set(deltaMagic, at);
  Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(base.hash, at + 4, 32, 'hex');
  return deltaHeader + frame;
}

/** `compressChunkInto`, as a buffer of its own. */
export function compressChunk(bytes: Uint8Array, base?: DeltaBase): Buffer {
  const out = Buffer.allocUnsafe(objectBound(bytes.length));
  return Buffer.from(out.subarray(0, compressChunkInto(out, 0, bytes, base)));
}

function compressionContext(): zstd.CCtx {
  const context = new zstd.CCtx();
  context.setParameter(zstd.CParameter.compressionLevel, 3);
  context.setParameter(zstd.CParameter.checksumFlag, 0);
  context.setParameter(zstd.CParameter.contentSizeFlag, 1);
  return context;
}

function usableBase(bytes: Uint8Array): boolean {
  return (
    bytes.length >= minDeltaBase && !zstdDictionaryMagic.equals(Buffer.from(bytes.subarray(0, 4)))
  );
}

/** The hash of the object a stored delta needs, or undefined for a whole frame. */
export function deltaBaseOf(data: Uint8Array): string | undefined {
  if (data.length < deltaHeader || deltaMagic.compare(data, 0, 4) !== 0) return undefined;
  return Buffer.from(data.buffer, data.byteOffset + 4, 32).toString('hex');
}

/** How many bytes of an object's file tell whether it is a delta, and of what. */
export const objectHeaderBytes = deltaHeader;

/**
 * The canonical bytes of an object, checked against its name: a corrupted object is an error
 * naming it, never data. `expectedSize`, when the manifest gives it, also bounds what a damaged
 * or hostile frame can inflate to.
 */
export function openObject(
  data: Uint8Array,
  hash: string,
  expectedSize?: number,
  base?: Uint8Array,
): Buffer {
  const baseHash = deltaBaseOf(data);
  if (baseHash !== undefined && base === undefined) {
    throw new AppError('internal', `Object ${hash} is a delta; its base ${baseHash} is needed`);
  }
  let bytes: Buffer;
  try {
    if (baseHash === undefined) {
      decompressor ??= new Decompressor();
      bytes = decompressor.decompress(data);
    } else {
      deltaDecompressor ??= new Decompressor();
      deltaDecompressor.loadDictionary(base!);
      bytes = deltaDecompressor.decompress(data.subarray(deltaHeader));
    }
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
