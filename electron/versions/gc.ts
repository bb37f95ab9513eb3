/**
 * Garbage collection: mark every object a manifest (or a running operation's pin) names, sweep
 * the rest. Safe while snapshots are being written — see pins.ts for the protocol. A manifest
 * that cannot be parsed still protects every hash found in its text.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GcReport } from '../../shared/versions.js';
import { pidAlive } from './durable.js';
import type { StoreLayout } from './layout.js';
import { readManifests } from './manifest.js';
import { ObjectStore, type StoredObject } from './object-store.js';
import { PackWriter, readPackIndexes, removeOrphanPacks, removePack } from './packs.js';
import { livePins, withGcLock } from './pins.js';

export async function collectGarbage(layout: StoreLayout): Promise<GcReport> {
  return withGcLock(layout, async () => {
    const { live, bases } = await liveObjects(layout);
    const store = new ObjectStore(layout);
    const report: GcReport = {
      objectsRemoved: 0,
      bytesFreed: 0,
      objectsKept: 0,
      basesKept: 0,
      leftoversRemoved: 0,
    };
    const packs = new Map<string, StoredObject[]>();
    for (const object of await store.list()) {
      if (object.pack !== undefined) {
        packs.set(object.pack, [...(packs.get(object.pack) ?? []), object]);
        continue;
      }
      if (live.has(object.hash)) {
        report.objectsKept++;
        if (bases.has(object.hash)) report.basesKept++;
        continue;
      }
      report.bytesFreed += await store.remove(object.hash);
      report.objectsRemoved++;
    }
    await store.flush();
    for (const [name, objects] of packs) {
      const kept = objects.filter((o) => live.has(o.hash));
      report.objectsKept += kept.length;
      report.basesKept += kept.filter((o) => bases.has(o.hash)).length;
      report.objectsRemoved += objects.length - kept.length;
      if (kept.length === objects.length) continue;
      // A pack with dead objects is written again without them (its live ones first, in a
      // pack of their own, made durable), then removed.
      if (kept.length > 0) {
        const rewritten = new PackWriter(layout);
        try {
          for (const object of kept)
            await rewritten.add(object.hash, await store.readRaw(object.hash));
          await rewritten.publish();
        } catch (error) {
          await rewritten.discard();
          throw error;
        }
        report.bytesFreed -= rewritten.size;
      }
      report.bytesFreed += await removePack(layout, name);
    }
    report.leftoversRemoved = (await removeStaleTemps(layout)) + (await removeOrphanPacks(layout));
    return report;
  });
}

/**
 * Removes objects a failed operation wrote, unless something else has come to need them since
 * (another snapshot deduplicated onto them): what leaves the store as it was after a full disk.
 * The caller has released its own pin first.
 */
export async function discardObjects(
  layout: StoreLayout,
  hashes: Iterable<string>,
  /** The pack the operation published them in, if it got that far. */
  packName?: string,
): Promise<void> {
  const candidates = [...hashes];
  if (candidates.length === 0) return;
  const sweep = async () => {
    const { live } = await liveObjects(layout);
    const store = new ObjectStore(layout);
    for (const hash of candidates) if (!live.has(hash)) await store.remove(hash);
    await store.flush().catch(() => undefined);
    if (packName === undefined) return;
    const index = (await readPackIndexes(layout)).find((p) => p.name === packName);
    if (index && ![...index.entries.keys()].some((hash) => live.has(hash))) {
      await removePack(layout, packName);
    }
  };
  try {
    await withGcLock(layout, sweep);
  } catch (error) {
    // A disk too full to take the lock (a file of a few bytes): deleting is what frees it, so
    // sweep without the lock — only this operation's own new objects are candidates.
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ENOSPC') throw error;
    await sweep();
  }
}

/**
 * Pins first, then manifests: the order pins.ts relies on. Then the bases of the deltas among
 * them — a base is always a whole object, so one step closes the set.
 */
export async function liveObjects(
  layout: StoreLayout,
): Promise<{ live: Set<string>; bases: Set<string> }> {
  const live = await livePins(layout);
  const { manifests, damaged } = await readManifests(layout);
  for (const manifest of manifests) for (const chunk of manifest.chunks) live.add(chunk.hash);
  for (const bad of damaged) for (const hash of bad.hashes) live.add(hash);
  const store = new ObjectStore(layout);
  /** Live only as a base: no snapshot or pin names it. */
  const bases = new Set<string>();
  for (const hash of [...live]) {
    const base = await store.baseOf(hash);
    if (base !== undefined && !live.has(base)) bases.add(base);
  }
  for (const base of bases) live.add(base);
  return { live, bases };
}

/** Temporary files of processes that are gone (killed mid-write). */
async function removeStaleTemps(layout: StoreLayout): Promise<number> {
  let removed = 0;
  for (const name of await fs.readdir(layout.tmp).catch(() => [] as string[])) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) continue;
    await fs.rm(path.join(layout.tmp, name), { force: true });
    removed++;
  }
  return removed;
}
