/**
 * Deleting a snapshot removes its manifest (and flushes the folder); its chunks stay until gc
 * finds nothing else uses them. A snapshot whose parent is deleted keeps the parent's id.
 */
import { promises as fs } from 'node:fs';
import { syncDirectory } from './durable.js';
import type { StoreLayout } from './layout.js';
import { manifestPath } from './manifest.js';

export async function deleteSnapshot(layout: StoreLayout, id: string): Promise<void> {
  await fs.rm(manifestPath(layout, id), { force: true });
  await syncDirectory(layout.snapshots);
}
