/**
 * Pack files: a snapshot's new objects in one pack; gc removes a pack nothing needs and writes a
 * partly dead one again without its dead objects; an index that fails its checksum is not
 * trusted (its objects read as missing, never as wrong bytes).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeLayout } from '../../../electron/versions/layout.js';
import { packsFolder, readPackIndexes } from '../../../electron/versions/packs.js';
import { createFixture, restore, snapshot, tableRows, type Fixture } from './support.js';

let f: Fixture;
beforeAll(async () => {
  f = await createFixture(60_000, 'strata-packs-');
});
afterAll(async () => f?.close());

const packs = async () => readPackIndexes(storeLayout(f.dir));

describe('pack files', () => {
  it('hold each snapshot’s new objects, and gc rewrites a pack without its dead ones', async () => {
    const first = await snapshot(f.host, f.sales, 'first');
    expect((await packs()).map((p) => p.entries.size)).toEqual([first.chunks]);
    // A key range gone: its chunks are no one's base, so they die with the first snapshot.
    const db = new Database(f.file);
    db.prepare('DELETE FROM sales WHERE id BETWEEN 20001 AND 35000').run();
    db.close();
    const second = await snapshot(f.host, f.sales, 'a range deleted');
    expect(await packs()).toHaveLength(2);
    await f.host.call('deleteSnapshot', { snapshotId: first.id });
    const gc = await f.host.call('collectGarbage', {});
    expect(gc.objectsRemoved).toBeGreaterThan(0);
    expect(gc.bytesFreed).toBeGreaterThan(0);
    const after = await packs();
    expect(after).toHaveLength(2);
    expect(after.reduce((n, p) => n + p.entries.size, 0)).toBe(gc.objectsKept);
    expect((await f.host.call('verifyStore', {})).ok).toBe(true);
    expect((await f.host.call('storageUse', {})).garbageBytes).toBe(0);
    await restore(f.host, second.id, { connectionId: f.connectionId, path: ['main', 'back'] });
    expect(tableRows(f.file, 'back')).toEqual(tableRows(f.file, 'sales'));
    // Nothing more to free.
    expect((await f.host.call('collectGarbage', {})).bytesFreed).toBe(0);
  });

  it('do not trust an index that fails its checksum', async () => {
    const [index] = await packs();
    const file = path.join(packsFolder(storeLayout(f.dir)), `${index!.name}.idx`);
    const original = await fs.readFile(file);
    const damaged = Buffer.from(original);
    damaged[20]! ^= 0x01;
    await fs.writeFile(file, damaged);
    try {
      const report = await f.host.call('verifyStore', {});
      expect(report.ok).toBe(false);
      const missing = report.problems.filter((p) => p.kind === 'missing-object');
      // Every object of that pack a snapshot lists (a delta's base is named by its delta).
      expect(missing.length).toBeGreaterThan(index!.entries.size / 2);
      for (const problem of missing) expect(index!.entries.has(problem.subject)).toBe(true);
    } finally {
      await fs.writeFile(file, original);
    }
    expect((await f.host.call('verifyStore', {})).ok).toBe(true);
  });
});
