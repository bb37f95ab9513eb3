/**
 * Where the versions store keeps an object (its own file, or a range of a pack), and ways to
 * damage the store for the verify and repair tests — each undone by what it answers.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { storeLayout } from '../../../electron/versions/layout.js';
import { ObjectStore, type ObjectLocation } from '../../../electron/versions/object-store.js';
import { packsFolder, readPackIndexes } from '../../../electron/versions/packs.js';

export async function locateObject(dataDir: string, hash: string): Promise<ObjectLocation> {
  const location = await new ObjectStore(storeLayout(dataDir)).locate(hash);
  if (!location) throw new Error(`object ${hash} is not in the store`);
  return location;
}

/** The object's stored bytes (a whole frame, or a delta). */
export async function storedObject(dataDir: string, hash: string): Promise<Buffer> {
  return new ObjectStore(storeLayout(dataDir)).readRaw(hash);
}

/** Flips a byte in the middle of the object; answers how to put it back. */
export async function flipObjectByte(dataDir: string, hash: string): Promise<() => Promise<void>> {
  const { file, offset = 0, size } = await locateObject(dataDir, hash);
  const handle = await fs.open(file, 'r+');
  try {
    const at = offset + (size >> 1);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    await handle.write(Buffer.from([byte[0]! ^ 0xff]), 0, 1, at);
    return async () => {
      const back = await fs.open(file, 'r+');
      await back.write(byte, 0, 1, at);
      await back.close();
    };
  } finally {
    await handle.close();
  }
}

/** Moves away the pack holding the object (with every other object in it); answers the undo. */
export async function hidePackOf(dataDir: string, hash: string): Promise<() => Promise<void>> {
  const layout = storeLayout(dataDir);
  const index = (await readPackIndexes(layout)).find((p) => p.entries.has(hash));
  if (!index) throw new Error(`object ${hash} is not in a pack`);
  const folder = packsFolder(layout);
  const aside = path.join(dataDir, `hidden-${index.name}`);
  await fs.mkdir(aside);
  for (const ext of ['pack', 'idx']) {
    await fs.rename(path.join(folder, `${index.name}.${ext}`), path.join(aside, `x.${ext}`));
  }
  return async () => {
    for (const ext of ['pack', 'idx']) {
      await fs.rename(path.join(aside, `x.${ext}`), path.join(folder, `${index.name}.${ext}`));
    }
    await fs.rm(aside, { recursive: true });
  };
}

/** The hashes in the pack holding `hash`. */
export async function packMates(dataDir: string, hash: string): Promise<string[]> {
  const index = (await readPackIndexes(storeLayout(dataDir))).find((p) => p.entries.has(hash));
  return index ? [...index.entries.keys()] : [];
}
