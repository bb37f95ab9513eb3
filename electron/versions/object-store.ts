/**
 * Content-addressed objects: `objects/ab/cdef…`, one compressed chunk each, named by the hash of
 * its uncompressed bytes — so identical chunks are stored once, across snapshots and datasets.
 *
 * One instance per operation: it remembers which folders it renamed objects into and flushes
 * each once (`flush`), before the manifest that refers to them is written. A crash before then
 * can only lose objects nothing refers to yet.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { isObjectHash, openObject } from './codec.js';
import { isMissing, storeError, syncDirectory, writeDurable } from './durable.js';
import { objectPath, type StoreLayout } from './layout.js';

export interface StoredObject {
  hash: string;
  file: string;
  size: number;
}

export class ObjectStore {
  private readonly dirty = new Set<string>();

  constructor(readonly layout: StoreLayout) {}

  /** The object's stored (compressed) size, or undefined when it is not in the store. */
  async size(hash: string): Promise<number | undefined> {
    const file = objectPath(this.layout, hash);
    try {
      const stat = await fs.stat(file);
      // Reused, it must be as durable as one written now: its folder is flushed with the rest.
      this.dirty.add(path.dirname(file));
      return stat.size;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw storeError(error);
    }
  }

  /** Writes an object (temp → fsync → rename); its folder is flushed by `flush`. */
  async put(hash: string, data: Uint8Array): Promise<void> {
    const file = objectPath(this.layout, hash);
    const dir = path.dirname(file);
    try {
      if ((await fs.mkdir(dir, { recursive: true })) !== undefined)
        this.dirty.add(this.layout.objects);
    } catch (error) {
      throw storeError(error);
    }
    await writeDurable(file, data, this.layout.tmp, false);
    this.dirty.add(dir);
  }

  /** Flushes every folder an object was written to or reused from. */
  async flush(): Promise<void> {
    for (const dir of this.dirty)
      await syncDirectory(dir).catch((e: unknown) => {
        throw storeError(e);
      });
    this.dirty.clear();
  }

  /** The object's canonical bytes, checked against its name; missing or corrupted is an error. */
  async read(hash: string, expectedSize?: number): Promise<Buffer> {
    let data: Buffer;
    try {
      data = await fs.readFile(objectPath(this.layout, hash));
    } catch (error) {
      if (isMissing(error)) throw missingObject(hash);
      throw error;
    }
    return openObject(data, hash, expectedSize);
  }

  async readRaw(hash: string): Promise<Buffer> {
    try {
      return await fs.readFile(objectPath(this.layout, hash));
    } catch (error) {
      if (isMissing(error)) throw missingObject(hash);
      throw error;
    }
  }

  /** Every object file whose name is a hash (temp files and strays are not objects). */
  async list(): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    const fanouts = await fs.readdir(this.layout.objects).catch((error: unknown) => {
      if (isMissing(error)) return [] as string[];
      throw error;
    });
    for (const fanout of fanouts.sort()) {
      if (!/^[0-9a-f]{2}$/.test(fanout)) continue;
      const dir = path.join(this.layout.objects, fanout);
      for (const entry of (await fs.readdir(dir)).sort()) {
        const hash = fanout + entry;
        if (!isObjectHash(hash)) continue;
        const file = path.join(dir, entry);
        const stat = await fs.stat(file).catch(() => undefined);
        if (stat?.isFile()) found.push({ hash, file, size: stat.size });
      }
    }
    return found;
  }

  /** Removes an object; answers the bytes freed (0 when it was already gone). */
  async remove(hash: string): Promise<number> {
    const file = objectPath(this.layout, hash);
    try {
      const { size } = await fs.stat(file);
      await fs.unlink(file);
      this.dirty.add(path.dirname(file));
      return size;
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
  }
}

export function missingObject(hash: string): AppError {
  return new AppError(
    'not-found',
    `Object ${hash} is missing from the versions store`,
    'Run `strata verify` to see which snapshots need it.',
  );
}
