/**
 * Export and import of one snapshot as one file:
 *
 *   "STRSNAP1"  u32 manifest length  manifest JSON
 *   then per distinct object: 32-byte SHA-256  u32 length  the stored (zstd) bytes
 *   then 32 zero bytes
 *
 * Export checks each object as it copies it (a corrupted one is never passed on) and writes the
 * file atomically. Import checks the manifest's checksum and every object's hash before anything
 * is stored, stores objects the store does not have, and writes the manifest last.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { compressChunk, deltaBaseOf, openObject } from './codec.js';
import { storeError, syncDirectory } from './durable.js';
import { discardObjects } from './gc.js';
import type { StoreLayout } from './layout.js';
import {
  findSnapshot,
  parseManifest,
  readManifests,
  writeManifest,
  type Manifest,
} from './manifest.js';
import { ObjectStore } from './object-store.js';
import { Pin } from './pins.js';

const magic = Buffer.from('STRSNAP1');
const end = Buffer.alloc(32);

export async function exportSnapshot(
  layout: StoreLayout,
  snapshotId: string,
  file: string,
): Promise<{ snapshotId: string; bytes: number; objects: number }> {
  const manifest = await findSnapshot(layout, snapshotId);
  const hashes = [...new Set(manifest.chunks.map((c) => c.hash))];
  const sizes = new Map(manifest.chunks.map((c) => [c.hash, c.bytes]));
  const store = new ObjectStore(layout);
  const pin = await Pin.open(layout, 'export');
  const target = path.resolve(file);
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let bytes = 0;
  try {
    await pin.add(hashes);
    const handle = await fs.open(temp, 'wx');
    try {
      const write = async (...parts: Uint8Array[]) => {
        for (const part of parts) {
          await handle.write(part);
          bytes += part.byteLength;
        }
      };
      const json = Buffer.from(JSON.stringify(manifest));
      await write(magic, u32(json.length), json);
      for (const hash of hashes) {
        // An archive stands alone: a delta goes in as a whole frame, without its base.
        const raw = await store.readRaw(hash);
        const data = deltaBaseOf(raw)
          ? compressChunk(await store.read(hash, sizes.get(hash)))
          : raw;
        if (data === raw) openObject(data, hash, sizes.get(hash));
        await write(Buffer.from(hash, 'hex'), u32(data.length), data);
      }
      await write(end);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
    await syncDirectory(path.dirname(target));
    return { snapshotId: manifest.id, bytes, objects: hashes.length };
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw storeError(error);
  } finally {
    await pin.release();
  }
}

export async function importSnapshot(
  layout: StoreLayout,
  file: string,
): Promise<{ manifest: Manifest; newObjects: number; alreadyPresent: boolean }> {
  const handle = await fs.open(path.resolve(file), 'r');
  let position = 0;
  const read = async (length: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    if (bytesRead !== length) throw notArchive(file, 'it ends too soon');
    position += length;
    return buffer;
  };
  const store = new ObjectStore(layout);
  const created = new Set<string>();
  let pin: Pin | undefined;
  let published = false;
  try {
    if (!(await read(8)).equals(magic)) throw notArchive(file, 'it does not start like one');
    const manifestLength = (await read(4)).readUInt32BE(0);
    if (manifestLength > 256 << 20) throw notArchive(file, 'its manifest is implausibly large');
    const manifest = parseManifest(
      (await read(manifestLength)).toString('utf8'),
      path.basename(file),
    );
    const existing = (await readManifests(layout)).manifests.find((m) => m.id === manifest.id);
    if (existing) {
      if (existing.checksum === manifest.checksum) {
        return { manifest: existing, newObjects: 0, alreadyPresent: true };
      }
      throw new AppError(
        'invalid-input',
        `A different snapshot ${manifest.id} is already in the store`,
      );
    }
    const sizes = new Map(manifest.chunks.map((c) => [c.hash, c.bytes]));
    const seen = new Set<string>();
    pin = await Pin.open(layout, 'import', manifest.id);
    for (;;) {
      const hash = (await read(32)).toString('hex');
      if (hash === end.toString('hex')) break;
      const expected = sizes.get(hash);
      if (expected === undefined)
        throw notArchive(file, `it holds object ${hash}, which its snapshot does not list`);
      const length = (await read(4)).readUInt32BE(0);
      const data = await read(length);
      openObject(data, hash, expected); // throws, naming the object, unless it is sound
      await pin.add([hash]);
      seen.add(hash);
      if ((await store.size(hash)) !== undefined) continue;
      created.add(hash);
      await store.put(hash, data);
    }
    for (const hash of sizes.keys()) {
      if (!seen.has(hash) && (await store.size(hash)) === undefined) {
        throw notArchive(file, `object ${hash} of its snapshot is missing`);
      }
    }
    await store.flush();
    await writeManifest(layout, manifest);
    published = true;
    return { manifest, newObjects: created.size, alreadyPresent: false };
  } catch (error) {
    throw storeError(error);
  } finally {
    await handle.close();
    await pin?.release();
    if (!published) await discardObjects(layout, created).catch(() => undefined);
  }
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value, 0);
  return buffer;
}

function notArchive(file: string, why: string): AppError {
  return new AppError('invalid-input', `${file} is not a Strata snapshot file: ${why}`);
}
