/**
 * Chunks changed since the parent snapshot are stored as deltas of the parent's chunks: a few
 * scattered edits cost a fraction of a percent, the base outlives the snapshot that first had it
 * for as long as a delta needs it, verify names a delta whose base is gone, and an export carries
 * whole objects only.
 */

import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deltaBaseOf } from '../../../electron/versions/codec.js';
import { storeLayout } from '../../../electron/versions/layout.js';
import { findSnapshot } from '../../../electron/versions/manifest.js';
import { packOverhead } from '../../../electron/versions/packs.js';
import type { SnapshotInfo } from '../../../shared/versions.js';
import { hidePackOf, locateObject, storedObject } from './objects.js';
import { createFixture, restore, snapshot, tableRows, type Fixture } from './support.js';

let f: Fixture;
let first: SnapshotInfo;
let edited: SnapshotInfo;
const deltas = new Map<string, string>();

beforeAll(async () => {
  f = await createFixture(60_000, 'strata-deltas-');
  first = await snapshot(f.host, f.sales, 'first');
  const db = new Database(f.file);
  const update = db.prepare('UPDATE sales SET note = ? WHERE id = ?');
  db.transaction(() => {
    // Scattered: one edit in almost every chunk.
    for (let i = 0; i < 40; i++) update.run(`edited ${i}`, 1 + i * 1_499);
  })();
  db.close();
  edited = await snapshot(f.host, f.sales, 'scattered edits');
  const layout = storeLayout(f.dir);
  for (const chunk of (await findSnapshot(layout, edited.id)).chunks) {
    const base = deltaBaseOf(await storedObject(f.dir, chunk.hash));
    if (base) deltas.set(chunk.hash, base);
  }
});
afterAll(async () => f?.close());

describe('delta objects', () => {
  it('store scattered edits in well under 1% of the first snapshot', () => {
    expect(edited.newChunks).toBeGreaterThan(first.chunks / 2);
    expect(deltas.size).toBe(edited.newChunks);
    expect(edited.newBytes / first.storedBytes).toBeLessThan(0.01);
    // Its size counts the bases its deltas need: every chunk of the first, and the deltas (its
    // new bytes are its pack's, record headers included).
    expect(edited.storedBytes).toBe(
      first.storedBytes + edited.newBytes - packOverhead(edited.newChunks),
    );
  });

  it('keep their bases when the snapshot that had them is deleted', async () => {
    await f.host.call('deleteSnapshot', { snapshotId: first.id });
    const gc = await f.host.call('collectGarbage', {});
    const layout = storeLayout(f.dir);
    for (const base of deltas.values()) await locateObject(f.dir, base);
    // What only the first snapshot needed (neither a chunk nor a base of the second) is freed.
    const kept = new Set([...(await findSnapshot(layout, edited.id)).chunks.map((c) => c.hash)]);
    for (const base of deltas.values()) kept.add(base);
    expect(gc.objectsKept).toBe(kept.size);
    expect(gc.basesKept).toBe(new Set(deltas.values()).size);
    expect((await f.host.call('verifyStore', {})).ok).toBe(true);
    await restore(f.host, edited.id, { connectionId: f.connectionId, path: ['main', 'back'] });
    expect(tableRows(f.file, 'back')).toEqual(tableRows(f.file, 'sales'));
  });

  it('export whole objects that import into an empty store', async () => {
    const file = path.join(f.dir, 'edited.strata');
    await f.host.call('exportSnapshot', { snapshotId: edited.id, file });
    const other = await createFixture(10, 'strata-deltas-other-');
    try {
      const imported = await other.host.call('importSnapshot', { file });
      expect(imported.newObjects).toBe(edited.chunks);
      expect((await other.host.call('verifyStore', {})).ok).toBe(true);
      await restore(other.host, edited.id, {
        connectionId: other.connectionId,
        path: ['main', 'back'],
      });
      expect(tableRows(other.file, 'back')).toEqual(tableRows(f.file, 'sales'));
    } finally {
      await other.close();
    }
  });

  it('verify names a delta whose base is missing, with the snapshots that need it', async () => {
    const [delta, base] = [...deltas.entries()][0]!;
    // The bases are in the first snapshot's pack, with the chunks that did not change.
    const unhide = await hidePackOf(f.dir, base);
    try {
      const report = await f.host.call('verifyStore', {});
      const problem = report.problems.find((p) => p.subject === delta)!;
      expect(problem.kind).toBe('corrupted-object');
      expect(problem.detail).toContain(base);
      expect(problem.snapshots).toEqual([edited.id]);
      await expect(
        restore(f.host, edited.id, { connectionId: f.connectionId, path: ['main', 'never'] }),
      ).rejects.toThrow(/missing|corrupted/);
    } finally {
      await unhide();
    }
    expect((await f.host.call('verifyStore', {})).ok).toBe(true);
  });
});
