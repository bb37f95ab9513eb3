/**
 * The versioning store end to end, through the host's channels, on a 50k-row demo-like SQLite
 * table: snapshot, dedupe, small changes, restore (create and replace), verify finding damage,
 * gc freeing exactly the unshared chunks, export/import, storage use, cancel and the read-only gate.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeLayout } from '../../../electron/versions/layout.js';
import { findSnapshot } from '../../../electron/versions/manifest.js';
import { packOverhead } from '../../../electron/versions/packs.js';
import { flipObjectByte, hidePackOf } from './objects.js';
import type { SnapshotInfo } from '../../../shared/versions.js';
import { createFixture, restore, salesRow, snapshot, tableRows, type Fixture } from './support.js';

let f: Fixture;
let first: SnapshotInfo;
let changed: SnapshotInfo;

beforeAll(async () => {
  f = await createFixture(50_000);
  first = await snapshot(f.host, f.sales, 'first');
});
afterAll(async () => f?.close());

function edit(sql: string, ...params: unknown[]): void {
  const db = new Database(f.file);
  db.prepare(sql).run(...params);
  db.close();
}

describe('versions store', () => {
  it('snapshots every row, in chunks, with a manifest', async () => {
    expect(first.rows).toBe(50_000);
    expect(first.chunks).toBeGreaterThan(10);
    expect(first.newChunks).toBe(first.chunks);
    expect(first.storedBytes).toBeLessThan(first.canonicalBytes / 2);
    expect(first.key).toEqual(['id']);
    expect(first.keyNote).toBeUndefined();
    expect(first.parent).toBeNull();
    expect(first.firstKey).toEqual([1]);
    expect(first.lastKey).toEqual([50_000]);
  });

  it('a second snapshot of unchanged data writes no new chunk', async () => {
    const second = await snapshot(f.host, f.sales, 'unchanged');
    expect(second.newChunks).toBe(0);
    expect(second.newBytes).toBe(0);
    expect(second.parent).toBe(first.id);
    expect(second.storedBytes).toBe(first.storedBytes);
  });

  it('after 100 changed rows, stores under 1% new bytes', async () => {
    const db = new Database(f.file);
    const update = db.prepare('UPDATE sales SET amount = amount + 1, note = ? WHERE id = ?');
    db.transaction(() => {
      for (let i = 0; i < 100; i++) update.run(`changed ${i}`, 20_001 + i * 7);
    })();
    db.close();
    changed = await snapshot(f.host, f.sales, '100 rows changed');
    expect(changed.newBytes / first.storedBytes).toBeLessThan(0.01);
    expect(changed.newChunks).toBeGreaterThan(0);
  });

  it('restores into SQLite as a new table, row for row', async () => {
    const status = await restore(f.host, first.id, {
      connectionId: f.connectionId,
      path: ['main', 'sales_v1'],
    });
    expect(status.rowsWritten).toBe(50_000);
    const expected = Array.from({ length: 50_000 }, (_, i) => salesRow(i + 1));
    expect(tableRows(f.file, 'sales_v1')).toEqual(expected);
  });

  it('restores by replacing a table, and refuses create over an existing one', async () => {
    await restore(
      f.host,
      changed.id,
      { connectionId: f.connectionId, path: ['main', 'sales_v1'] },
      'replace',
    );
    expect(tableRows(f.file, 'sales_v1')).toEqual(tableRows(f.file, 'sales'));
    await expect(
      restore(f.host, first.id, { connectionId: f.connectionId, path: ['main', 'sales_v1'] }),
    ).rejects.toThrow(/already|exists/i);
  });

  it('lists history per dataset, across stores, and storage use', async () => {
    const all = await f.host.call('listSnapshots', {});
    const ofSales = await f.host.call('listSnapshots', {
      connectionId: f.connectionId,
      path: ['main', 'sales'],
    });
    expect(ofSales.map((s) => s.message)).toEqual(['first', 'unchanged', '100 rows changed']);
    expect(all.length).toBeGreaterThanOrEqual(ofSales.length);
    const use = await f.host.call('storageUse', {});
    const sales = use.datasets.find((d) => d.dataset.path.join('.') === 'main.sales')!;
    expect(sales.snapshots).toBe(3);
    expect(sales.bytes).toBe(
      first.storedBytes + changed.newBytes - packOverhead(changed.newChunks),
    );
    expect(use.objectBytes).toBeGreaterThanOrEqual(sales.bytes);
  });

  it('verify names a corrupted and a missing object with the snapshots that need them', async () => {
    expect((await f.host.call('verifyStore', {})).ok).toBe(true);
    const layout = storeLayout(f.dir);
    const hashes = async (id: string) => (await findSnapshot(layout, id)).chunks.map((c) => c.hash);
    const ofFirst = new Set(await hashes(first.id));
    const ofChanged = await hashes(changed.id);
    const shared = ofChanged[0]!; // the first chunk is unchanged: shared by all three snapshots
    const unflip = await flipObjectByte(f.dir, shared);
    // Only the changed snapshot has it: its pack holds nothing the others need.
    const last = ofChanged.filter((h) => !ofFirst.has(h)).at(-1)!;
    const unhide = await hidePackOf(f.dir, last);
    const report = await f.host.call('verifyStore', {});
    expect(report.ok).toBe(false);
    const corrupted = report.problems.find((p) => p.subject === shared)!;
    expect(corrupted.kind).toBe('corrupted-object');
    expect(corrupted.snapshots.length).toBe(3);
    const missing = report.problems.find((p) => p.subject === last)!;
    expect(missing.kind).toBe('missing-object');
    expect(missing.snapshots).toContain(changed.id);
    // Never read silently: a restore that needs the damaged object fails, naming it.
    await expect(
      restore(f.host, first.id, { connectionId: f.connectionId, path: ['main', 'never'] }),
    ).rejects.toThrow(new RegExp(shared));
    expect(tableRows(f.file, 'sqlite_schema').some((r) => r[1] === 'never')).toBe(false);
    await unflip();
    await unhide();
    expect((await f.host.call('verifyStore', {})).ok).toBe(true);
  });

  it('export and import one file round-trip a snapshot into another store', async () => {
    const file = path.join(f.dir, 'changed.strata');
    const exported = await f.host.call('exportSnapshot', { snapshotId: changed.id, file });
    expect(exported.objects).toBe(changed.chunks);
    const other = await createFixture(10);
    try {
      const imported = await other.host.call('importSnapshot', { file });
      expect(imported.snapshot.id).toBe(changed.id);
      expect(imported.newObjects).toBe(changed.chunks);
      expect((await other.host.call('verifyStore', {})).ok).toBe(true);
      await restore(other.host, changed.id, {
        connectionId: other.connectionId,
        path: ['main', 'back'],
      });
      expect(tableRows(other.file, 'back')).toEqual(tableRows(f.file, 'sales'));
      expect((await other.host.call('importSnapshot', { file })).alreadyPresent).toBe(true);
      // A damaged file is refused and leaves the store as it was.
      const bytes = await fs.readFile(file);
      bytes[bytes.length - 100]! ^= 0x55;
      const bad = path.join(f.dir, 'bad.strata');
      await fs.writeFile(bad, bytes);
      const third = await createFixture(10);
      try {
        await expect(third.host.call('importSnapshot', { file: bad })).rejects.toThrow(
          /corrupted|not a Strata/,
        );
        expect(await third.host.call('listSnapshots', {})).toEqual([]);
        expect((await third.host.call('storageUse', {})).objects).toBe(0);
      } finally {
        await third.close();
      }
    } finally {
      await other.close();
    }
  });

  it('deleting a snapshot and collecting frees exactly the chunks no other snapshot uses', async () => {
    const use = await f.host.call('storageUse', {});
    await f.host.call('deleteSnapshot', { snapshotId: changed.id });
    const gc = await f.host.call('collectGarbage', {});
    // Its pack, whole: the objects and their record headers.
    expect(gc.bytesFreed).toBe(changed.newBytes);
    expect(gc.objectsRemoved).toBe(changed.newChunks);
    expect((await f.host.call('storageUse', {})).objectBytes).toBe(
      use.objectBytes - changed.newBytes,
    );
    expect((await f.host.call('verifyStore', {})).ok).toBe(true);
    expect((await f.host.call('collectGarbage', {})).bytesFreed).toBe(0);
  });

  it('without a key, orders by every column and says so', async () => {
    edit('CREATE TABLE nokey AS SELECT currency, paid, note FROM sales WHERE id <= 3000');
    const s = await snapshot(f.host, { connectionId: f.connectionId, path: ['main', 'nokey'] });
    expect(s.key).toEqual(['currency', 'paid', 'note']);
    expect(s.keyNote).toMatch(/no key/);
    await restore(f.host, s.id, { connectionId: f.connectionId, path: ['main', 'nokey2'] });
    const sorted = (t: string) =>
      tableRows(f.file, t)
        .map((r) => JSON.stringify(r))
        .sort();
    expect(sorted('nokey2')).toEqual(sorted('nokey'));
  });

  it('keeps long text and blobs whole, deep in later pages too', async () => {
    edit('CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT, data BLOB)');
    const db = new Database(f.file);
    const insert = db.prepare('INSERT INTO docs VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 12_000; i++) {
        const long = i % 2_999 === 0;
        insert.run(
          i,
          long ? `${i}é`.repeat(20_000) : `short ${i}`,
          long ? Buffer.alloc(40_000, i % 251) : null,
        );
      }
    })();
    db.close();
    const s = await snapshot(f.host, { connectionId: f.connectionId, path: ['main', 'docs'] });
    expect(s.lossy).toBeUndefined();
    await restore(f.host, s.id, { connectionId: f.connectionId, path: ['main', 'docs2'] });
    expect(tableRows(f.file, 'docs2')).toEqual(tableRows(f.file, 'docs'));
  });

  it('a cancelled snapshot leaves no snapshot and no objects behind', async () => {
    const before = await f.host.call('storageUse', {});
    edit('CREATE TABLE fresh AS SELECT id * 3 AS id, note FROM sales');
    // Cancelled at its first progress report: some chunks are stored by then, the rest not.
    let cancel = (_jobId: string) => undefined as unknown;
    const unsubscribe = f.host.subscribe((event, payload) => {
      if (event === 'jobProgress' && (payload as { state: string }).state === 'running') {
        cancel((payload as { jobId: string }).jobId);
      }
    });
    const cancelled = new Promise<void>((resolve) => {
      cancel = (id) => void f.host.call('cancelJob', { jobId: id }).then(() => resolve());
    });
    const { jobId } = await f.host.call('createSnapshot', {
      ref: { connectionId: f.connectionId, path: ['main', 'fresh'] },
    });
    await cancelled;
    unsubscribe();
    const status = await f.host.call('getVersionsJob', { jobId, wait: true });
    expect(status.state).toBe('cancelled');
    const after = await f.host.call('storageUse', {});
    expect(after.objects).toBe(before.objects);
    expect(after.datasets.length).toBe(before.datasets.length);
    const pending = await fs.readdir(storeLayout(f.dir).pending);
    expect(pending).toEqual([]);
  });

  it('a cancelled restore leaves the target as it was', async () => {
    let cancel = (_jobId: string) => undefined as unknown;
    const unsubscribe = f.host.subscribe((event, payload) => {
      const p = payload as { jobId: string; state: string; label: string };
      if (event === 'jobProgress' && p.state === 'running' && p.label.startsWith('Restoring')) {
        cancel(p.jobId);
      }
    });
    const cancelled = new Promise<void>((resolve) => {
      cancel = (id) => void f.host.call('cancelJob', { jobId: id }).then(() => resolve());
    });
    const { jobId } = await f.host.call('restoreSnapshot', {
      snapshotId: first.id,
      target: { connectionId: f.connectionId, path: ['main', 'sales_v1'] },
      mode: 'replace',
    });
    const before = tableRows(f.file, 'sales_v1');
    await cancelled;
    unsubscribe();
    expect((await f.host.call('getVersionsJob', { jobId, wait: true })).state).toBe('cancelled');
    expect(tableRows(f.file, 'sales_v1')).toEqual(before);
    expect(await fs.readdir(storeLayout(f.dir).pending)).toEqual([]);
  });

  it('restore refuses a read-only connection', async () => {
    const { id } = await f.host.call('addSqliteConnection', {
      path: f.file,
      name: 'ro',
      readOnly: true,
    });
    await expect(
      f.host.call('restoreSnapshot', {
        snapshotId: first.id,
        target: { connectionId: id, path: ['main', 'x'] },
      }),
    ).rejects.toThrow(/read-only/);
  });
});
