/** Storage use: per dataset (all its snapshots' distinct chunks, and those only it uses) and total. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetStorage, StorageUse } from '../../shared/versions.js';
import type { StoreLayout } from './layout.js';
import { liveObjects } from './gc.js';
import { readManifests } from './manifest.js';
import { ObjectStore, type StoredObject } from './object-store.js';

export async function storageUse(layout: StoreLayout): Promise<StorageUse> {
  const { manifests } = await readManifests(layout);
  const objects = await new ObjectStore(layout).list();
  const { live } = await liveObjects(layout);
  const sizeOf = new Map(objects.map((o) => [o.hash, o.size]));
  const byDataset = new Map<string, { storage: DatasetStorage; hashes: Set<string> }>();
  const users = new Map<string, Set<string>>(); // hash → datasets using it
  for (const manifest of manifests) {
    const id = `${manifest.dataset.connectionId}\u0000${manifest.dataset.path.join('\u0000')}`;
    const entry = byDataset.get(id) ?? {
      storage: { dataset: manifest.dataset, snapshots: 0, bytes: 0, exclusiveBytes: 0 },
      hashes: new Set<string>(),
    };
    entry.storage.dataset = manifest.dataset; // the latest name it was snapshotted under
    entry.storage.snapshots++;
    for (const chunk of manifest.chunks) {
      entry.hashes.add(chunk.hash);
      const set = users.get(chunk.hash) ?? new Set<string>();
      set.add(id);
      users.set(chunk.hash, set);
    }
    byDataset.set(id, entry);
  }
  for (const { storage, hashes } of byDataset.values()) {
    for (const hash of hashes) {
      const size = sizeOf.get(hash) ?? 0;
      storage.bytes += size;
      if (users.get(hash)!.size === 1) storage.exclusiveBytes += size;
    }
  }
  let manifestBytes = 0;
  for (const manifest of manifests) {
    const stat = await fs
      .stat(path.join(layout.snapshots, `${manifest.id}.json`))
      .catch(() => undefined);
    manifestBytes += stat?.size ?? 0;
  }
  return {
    datasets: [...byDataset.values()].map((e) => e.storage).sort((a, b) => b.bytes - a.bytes),
    objectBytes: await diskBytes(objects),
    objects: objects.length,
    // What gc would free: not what a snapshot lists, nor a base a listed delta needs.
    garbageBytes: objects.filter((o) => !live.has(o.hash)).reduce((n, o) => n + o.size, 0),
    manifestBytes,
  };
}

/** The files objects take: each loose object's, and each pack whole (record headers included). */
async function diskBytes(objects: readonly StoredObject[]): Promise<number> {
  let total = 0;
  const packs = new Set<string>();
  for (const object of objects) {
    if (object.pack === undefined) total += object.size;
    else packs.add(object.file);
  }
  for (const file of packs) total += (await fs.stat(file).catch(() => undefined))?.size ?? 0;
  return total;
}
