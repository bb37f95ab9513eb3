/**
 * A snapshot of a dataset the store shows unchanged since its parent (by the backend's
 * fingerprint) reuses the parent's chunks without reading a row; any change — a rewritten file,
 * a changed row, a missing object in the versions store — reads the rows as usual, as does a
 * SQLite file in WAL mode, whose latest pages may not be in the file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionsFileName } from '../../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../../electron/host.js';
import { storeLayout } from '../../../electron/versions/layout.js';
import { findSnapshot } from '../../../electron/versions/manifest.js';
import type { DatasetRef } from '../../../shared/model.js';
import { hidePackOf, locateObject, packMates } from './objects.js';
import { createFixture, restore, snapshot, tableRows, type Fixture } from './support.js';

let dir: string;
let host: Host;
let root: string;
let ref: DatasetRef;

const csvText = (rows: number, changed = -1) =>
  [
    'id,day,amount,note',
    ...Array.from(
      { length: rows },
      (_, i) =>
        `${i + 1},2024-01-${String((i % 28) + 1).padStart(2, '0')},${(i * 37) % 1000}.5,${i === changed ? 'edited' : `note ${i % 97}`}`,
    ),
  ].join('\n');

/** The folder engine trusts what it knows of a file for a second before looking again. */
const pastRevalidation = () => new Promise((resolve) => setTimeout(resolve, 1_100));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'strata-fingerprint-'));
  writeFileSync(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
  process.env.STRATA_CACHE_DIR = path.join(dir, 'cache');
  host = await createHost({ dataDir: dir });
  root = path.join(dir, 'lake');
  mkdirSync(root);
  writeFileSync(path.join(root, 'sales.csv'), csvText(20_000));
  const { id } = await host.call('saveConnection', {
    name: 'lake',
    config: { kind: 'files', root },
  });
  ref = { connectionId: id, path: ['sales.csv'] };
});
afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('snapshots of an unchanged dataset', () => {
  it('reuse the parent’s chunks when the files are as they were', async () => {
    const first = await snapshot(host, ref, 'first');
    expect(first.reusedFrom).toBeUndefined();
    const second = await snapshot(host, ref, 'again');
    expect(second.reusedFrom).toBe(first.id);
    expect(second.parent).toBe(first.id);
    expect(second.newBytes).toBe(0);
    expect(second.rows).toBe(20_000);
    expect(second.message).toBe('again');
    const layout = storeLayout(dir);
    const [a, b] = [await findSnapshot(layout, first.id), await findSnapshot(layout, second.id)];
    expect(b.chunks).toEqual(a.chunks);
    expect((await host.call('verifyStore', {})).ok).toBe(true);
  });

  it('read the rows again once a file changed', async () => {
    const before = (await host.call('listSnapshots', {})).at(-1)!;
    writeFileSync(path.join(root, 'sales.csv'), csvText(20_000, 12_345));
    await pastRevalidation();
    const after = await snapshot(host, ref, 'edited');
    expect(after.reusedFrom).toBeUndefined();
    expect(after.newChunks).toBe(1);
    const again = await snapshot(host, ref, 'edited, again');
    expect(again.reusedFrom).toBe(after.id);
    expect(before.id).not.toBe(after.id);
  });

  it('read the rows again when a chunk of the parent is missing from the store', async () => {
    const parent = (await host.call('listSnapshots', {})).at(-1)!;
    const layout = storeLayout(dir);
    const hash = (await findSnapshot(layout, parent.id)).chunks[0]!.hash;
    const gone = await packMates(dir, hash);
    const unhide = await hidePackOf(dir, hash);
    const repaired = await snapshot(host, ref, 'repaired');
    expect(repaired.reusedFrom).toBeUndefined();
    // Written again: what it needs of the hidden pack (which held chunks since replaced, too).
    const needed = (await findSnapshot(layout, repaired.id)).chunks.filter((c) =>
      gone.includes(c.hash),
    );
    expect(needed.length).toBeGreaterThan(0);
    expect(repaired.newChunks).toBe(needed.length);
    await locateObject(dir, hash);
    // (A delta it shares with its parent still needs its base from the hidden pack.)
    await unhide();
    expect((await host.call('verifyStore', {})).ok).toBe(true);
  });
});

describe('snapshots of an unchanged SQLite table', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture(30_000, 'strata-fingerprint-sqlite-');
  });
  afterAll(async () => f?.close());

  const edit = (sql: string) => {
    const db = new Database(f.file);
    db.exec(sql);
    db.close();
  };

  it('reuse the parent’s chunks while the table’s pages are as they were', async () => {
    const first = await snapshot(f.host, f.sales, 'first');
    expect(first.reusedFrom).toBeUndefined();
    // A write to another table leaves this one's pages alone.
    edit('CREATE TABLE other (x); INSERT INTO other VALUES (1)');
    const second = await snapshot(f.host, f.sales, 'again');
    expect(second.reusedFrom).toBe(first.id);
    expect(second.newBytes).toBe(0);
    expect(second.rows).toBe(30_000);
  });

  it('read the rows again after one changed row', async () => {
    const before = (await f.host.call('listSnapshots', {})).at(-1)!;
    edit("UPDATE sales SET note = 'edited' WHERE id = 12345");
    const after = await snapshot(f.host, f.sales, 'one row');
    expect(after.reusedFrom).toBeUndefined();
    expect(after.parent).toBe(before.id);
    expect(after.newChunks).toBe(1);
    await restore(f.host, after.id, { connectionId: f.connectionId, path: ['main', 'back'] });
    expect(tableRows(f.file, 'back')).toEqual(tableRows(f.file, 'sales'));
  });

  it('read the rows every time in WAL mode, where the file may not hold the latest pages', async () => {
    edit('PRAGMA journal_mode = WAL');
    const first = await snapshot(f.host, f.sales, 'wal');
    const second = await snapshot(f.host, f.sales, 'wal again');
    expect(second.reusedFrom).toBeUndefined();
    expect(second.newChunks).toBe(0);
    expect(first.rows).toBe(second.rows);
  });
});
