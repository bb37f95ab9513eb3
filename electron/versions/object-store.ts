/**
 * Content-addressed objects: one compressed chunk each (a whole zstd frame, or a delta of another
 * object — see codec.ts), named by the hash of its uncompressed bytes — so identical chunks are
 * stored once, across snapshots and datasets. An object is a file of its own,
 * `objects/ab/cdef…` (imports), or a record in a pack (snapshots write theirs so: packs.ts).
 *
 * One instance per operation: it remembers which folders it renamed objects into and flushes
 * each once (`flush`), before the manifest that refers to them is written. A crash before then
 * can only lose objects nothing refers to yet.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { corrupted, deltaBaseOf, isObjectHash, objectHeaderBytes, openObject } from './codec.js';
import { isMissing, storeError, syncDirectory, writeDurable } from './durable.js';
import { objectPath, type StoreLayout } from './layout.js';
import { readPackIndexes, readPackRange, type PackEntry } from './packs.js';

export interface StoredObject {
  hash: string;
  /** The object's own file, or the pack holding it (at `offset`). */
  file: string;
  offset?: number;
  size: number;
  /** The pack's name, for a packed object. */
  pack?: string;
}

/** Where an object's bytes are: a whole file, or a range of a pack. */
export type ObjectLocation = { file: string; offset?: number; size: number };

export class ObjectStore {
  private readonly dirty = new Set<string>();
  /** Fan-out folders known to exist: each is made (or found) once, not once per object. */
  private readonly made = new Set<string>();

  /** Packed objects by hash, read from the indexes once per instance (and again on a miss). */
  private packed: Map<string, PackEntry> | undefined;
  /** The fan-out folders of loose objects (`ab`), read once, for `size`. */
  private looseFolders: Set<string> | undefined;

  constructor(readonly layout: StoreLayout) {}

  /**
   * The object's stored (compressed) size, or undefined when it is not in the store: what a
   * snapshot asks of every chunk, so answered without a failing `stat` per new one — packs from
   * their indexes, loose objects only under fan-out folders that existed when it was first asked.
   * An object another process adds meanwhile may be missed, and is then stored again: a
   * duplicate, never a loss.
   */
  async size(hash: string): Promise<number | undefined> {
    const packed = await this.inPack(hash);
    if (packed) return packed.length;
    this.looseFolders ??= new Set(await fanOutFolders(this.layout));
    if (!this.looseFolders.has(hash.slice(0, 2))) return undefined;
    const file = objectPath(this.layout, hash);
    const loose = await looseSize(file);
    // Reused, it must be as durable as one written now: its folder is flushed with the rest.
    if (loose !== undefined) this.dirty.add(path.dirname(file));
    return loose;
  }

  /** Where an object is, or undefined when it is not in the store. */
  async locate(hash: string): Promise<ObjectLocation | undefined> {
    // Packs first: their indexes are in memory, where a loose file costs a stat (a failing one
    // for each packed object: ~600 for an unchanged snapshot's check of its parent's chunks).
    const packed = await this.inPack(hash);
    if (packed) return { file: packed.file, offset: packed.offset, size: packed.length };
    const file = objectPath(this.layout, hash);
    const loose = await looseSize(file);
    if (loose !== undefined) return { file, size: loose };
    const entry = await this.inPack(hash, true);
    return entry && { file: entry.file, offset: entry.offset, size: entry.length };
  }

  private async inPack(hash: string, reload = false): Promise<PackEntry | undefined> {
    if (!this.packed || reload) {
      const packed = new Map<string, PackEntry>();
      for (const index of await readPackIndexes(this.layout)) {
        for (const [key, entry] of index.entries) packed.set(key, entry);
      }
      this.packed = packed;
    }
    return this.packed.get(hash);
  }

  /**
   * Whether an object a published manifest lists is still stored. Unlike `size`, its folder is
   * not flushed again: it was made durable before that manifest was written.
   */
  async has(hash: string): Promise<boolean> {
    return (await this.locate(hash)) !== undefined;
  }

  /** Writes an object (temp → fsync → rename); its folder is flushed by `flush`. */
  async put(hash: string, data: Uint8Array): Promise<void> {
    const file = objectPath(this.layout, hash);
    const dir = path.dirname(file);
    if (!this.made.has(dir)) {
      try {
        if ((await fs.mkdir(dir, { recursive: true })) !== undefined)
          this.dirty.add(this.layout.objects);
      } catch (error) {
        throw storeError(error);
      }
      this.made.add(dir);
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

  /**
   * The object's canonical bytes, checked against its name; missing or corrupted is an error.
   * A delta is opened with its base, itself read and checked.
   */
  async read(hash: string, expectedSize?: number): Promise<Buffer> {
    const data = await this.readRaw(hash);
    const base = deltaBaseOf(data);
    return openObject(data, hash, expectedSize, base ? await this.readBase(base, hash) : undefined);
  }

  /** A delta's base: a whole frame, never a delta itself (so no chain can grow or loop). */
  async readBase(base: string, of: string): Promise<Buffer> {
    let data: Buffer;
    try {
      data = await this.readRaw(base);
    } catch (error) {
      if ((error as AppError).code !== 'not-found') throw error;
      throw corrupted(of, `the object it is a delta of, ${base}, is missing`);
    }
    if (deltaBaseOf(data) !== undefined) {
      throw corrupted(of, `the object it is a delta of, ${base}, is a delta itself`);
    }
    return openObject(data, base);
  }

  /** The object a stored delta needs, or undefined for a whole frame (or a missing object). */
  async baseOf(hash: string): Promise<string | undefined> {
    const location = await this.locate(hash);
    if (!location) return undefined;
    try {
      const header = await readPackRange(
        { file: location.file, offset: location.offset ?? 0, length: location.size },
        Math.min(objectHeaderBytes, location.size),
      );
      return deltaBaseOf(header);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw storeError(error);
    }
  }

  async readRaw(hash: string): Promise<Buffer> {
    try {
      return await fs.readFile(objectPath(this.layout, hash));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    // Not a file of its own: in a pack — looked for again if the packs changed (a gc repacked).
    for (const reload of [false, true]) {
      const entry = await this.inPack(hash, reload);
      if (!entry) continue;
      try {
        const data = await readPackRange(entry);
        if (data.length === entry.length) return data;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    throw missingObject(hash);
  }

  /** Every object file whose name is a hash (temp files and strays are not objects). */
  async list(): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    for (const fanout of await fanOutFolders(this.layout)) {
      const dir = path.join(this.layout.objects, fanout);
      for (const entry of (await fs.readdir(dir)).sort()) {
        const hash = fanout + entry;
        if (!isObjectHash(hash)) continue;
        const file = path.join(dir, entry);
        const stat = await fs.stat(file).catch(() => undefined);
        if (stat?.isFile()) found.push({ hash, file, size: stat.size });
      }
    }
    for (const index of await readPackIndexes(this.layout)) {
      for (const [hash, entry] of [...index.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
        found.push({
          hash,
          file: entry.file,
          offset: entry.offset,
          size: entry.length,
          pack: index.name,
        });
      }
    }
    return found;
  }

  /** Removes an object of its own file (packed ones go with their pack: gc.ts); bytes freed. */
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

/** The fan-out folders of loose objects (`ab` of `objects/ab/cdef…`), sorted. */
async function fanOutFolders(layout: StoreLayout): Promise<string[]> {
  const names = await fs.readdir(layout.objects).catch((error: unknown) => {
    if (isMissing(error)) return [] as string[];
    throw storeError(error);
  });
  return names.filter((name) => /^[0-9a-f]{2}$/.test(name)).sort();
}

/** The size of an object's own file, or undefined when it has none. */
async function looseSize(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).size;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw storeError(error);
  }
}

export function missingObject(hash: string): AppError {
  return new AppError(
    'not-found',
    `Object ${hash} is missing from the versions store`,
    'Run `strata verify` to see which snapshots need it.',
  );
}
