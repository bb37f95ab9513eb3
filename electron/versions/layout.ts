/**
 * Where everything of the versioning store lives under `<data dir>/versions/`:
 *
 *   objects/packs/*.pack the objects each snapshot added, one pack a snapshot, with a .idx
 *   objects/ab/cdef…     objects of their own (imported ones): zstd frames (or deltas) of
 *                        canonical rows, named by the SHA-256 of the rows
 *   snapshots/<id>.json  manifests, written last: a snapshot exists when its manifest does
 *   pending/<id>.log     pins: the objects a running snapshot, restore, import or export needs
 *   tmp/<pid>-….tmp      files being written; renamed into place or removed
 *   gc.lock              held while garbage is collected
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface StoreLayout {
  root: string;
  objects: string;
  snapshots: string;
  pending: string;
  tmp: string;
  gcLock: string;
}

export function storeLayout(dataDir: string): StoreLayout {
  const root = path.join(dataDir, 'versions');
  return {
    root,
    objects: path.join(root, 'objects'),
    snapshots: path.join(root, 'snapshots'),
    pending: path.join(root, 'pending'),
    tmp: path.join(root, 'tmp'),
    gcLock: path.join(root, 'gc.lock'),
  };
}

export async function ensureLayout(layout: StoreLayout): Promise<void> {
  for (const dir of [layout.objects, layout.snapshots, layout.pending, layout.tmp]) {
    await fs.mkdir(dir, { recursive: true });
  }
}

export function objectPath(layout: StoreLayout, hash: string): string {
  return path.join(layout.objects, hash.slice(0, 2), hash.slice(2));
}
