/**
 * Diffs through the host's channels on a SQLite `sales` table: two snapshots (only the chunks that
 * differ are decoded), a snapshot against the live table, a CSV against the table, and an SQL
 * export that, applied to A, gives B.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, restore, snapshot, type Fixture } from '../versions/support.js';
import { diff } from './support.js';

let f: Fixture;
let before: string;
let after: string;

beforeAll(async () => {
  f = await createFixture(20_000, 'strata-diff-');
  before = (await snapshot(f.host, f.sales, 'before')).id;
  const db = new Database(f.file);
  db.exec(`UPDATE sales SET amount = amount + 1 WHERE id IN (10, 5000, 15000);
    UPDATE sales SET note = 'edited', currency = 'XXX' WHERE id = 7001;
    DELETE FROM sales WHERE id IN (42, 19999);
    INSERT INTO sales VALUES (20001, '2024-01-01', 1, 2, 3.5, 'EUR', 1, 'new'),
                             (20002, '2024-01-02', 1, 2, 4.5, 'USD', 0, NULL);`);
  db.close();
  after = (await snapshot(f.host, f.sales, 'after')).id;
}, 120_000);
afterAll(async () => f.close());

describe('diff', () => {
  it('between two snapshots decodes only the chunks that differ', async () => {
    const summary = await diff(f.host, {
      a: { kind: 'snapshot', snapshotId: before },
      b: { kind: 'snapshot', snapshotId: after },
    });
    expect(summary.method).toBe('chunks');
    expect(summary.keyed).toBe(true);
    expect(summary.key).toEqual(['id']);
    expect(summary.counts).toEqual({ added: 2, removed: 2, changed: 4, unchanged: 19_994 });
    expect(summary.changedCells).toEqual({ amount: 3, currency: 1, note: 1 });
    expect(summary.schema.equal).toBe(true);
    const chunks = summary.chunks!;
    expect(chunks.skipped).toBeGreaterThan(0);
    // At most one changed chunk per edit on each side (plus the cut that moves after an edit).
    expect(chunks.decoded).toBeLessThanOrEqual(2 * 8 + 4);
    expect(chunks.decoded + chunks.skipped).toBe(chunks.total);
    expect(summary.rowsRead.a + summary.rowsRead.b).toBeLessThan(20_000);

    const page = await f.host.call('getDiffPage', {
      diffId: summary.diffId,
      offset: 0,
      limit: 100,
    });
    expect(page.total).toBe(8);
    expect(page.rows.map((r) => [r.kind, r.key[0]])).toEqual([
      ['changed', 10],
      ['removed', 42],
      ['changed', 5000],
      ['changed', 7001],
      ['changed', 15000],
      ['removed', 19999],
      ['added', 20001],
      ['added', 20002],
    ]);
    const edited = page.rows[3]!;
    const names = summary.columns.map((c) => c.name);
    expect(edited.changed.map((i) => names[i])).toEqual(['currency', 'note']);
    expect(edited.new![names.indexOf('note')]).toBe('edited');

    const onlyNote = await f.host.call('getDiffPage', {
      diffId: summary.diffId,
      offset: 0,
      limit: 100,
      kinds: ['changed'],
      columns: ['note'],
    });
    expect(onlyNote.total).toBe(1);
    expect(onlyNote.rows[0]!.key).toEqual([7001]);
    const next = await f.host.call('findChange', {
      diffId: summary.diffId,
      from: 0,
      direction: 'next',
      kinds: ['removed'],
    });
    expect(next.index).toBe(1);
    expect(await f.host.call('closeDiff', { diffId: summary.diffId })).toEqual({ closed: true });
    await expect(
      f.host.call('getDiffPage', { diffId: summary.diffId, offset: 0, limit: 1 }),
    ).rejects.toThrow(/No open diff/);
  });

  it('between a snapshot and the live table finds the same changes', async () => {
    const summary = await diff(f.host, {
      a: { kind: 'snapshot', snapshotId: before },
      b: { kind: 'dataset', ref: f.sales },
    });
    expect(summary.method).toBe('stream');
    expect(summary.counts).toEqual({ added: 2, removed: 2, changed: 4, unchanged: 19_994 });
    expect(summary.rowsRead).toEqual({ a: 20_000, b: 20_000 });
  });

  it('ignores columns and tolerates small numeric differences when asked', async () => {
    const summary = await diff(f.host, {
      a: { kind: 'snapshot', snapshotId: before },
      b: { kind: 'snapshot', snapshotId: after },
      ignoreColumns: ['note', 'currency'],
      tolerance: { absolute: 1.5 },
    });
    expect(summary.counts.changed).toBe(0);
    expect(summary.counts.unchanged).toBe(19_998);
  });

  it('exported as SQL, turns A into B', async () => {
    const summary = await diff(f.host, {
      a: { kind: 'snapshot', snapshotId: before },
      b: { kind: 'snapshot', snapshotId: after },
    });
    await restore(f.host, before, { connectionId: f.connectionId, path: ['copy'] });
    const file = path.join(f.dir, 'changes.sql');
    const exported = await f.host.call('exportDiff', {
      diffId: summary.diffId,
      format: 'sql',
      file,
      table: 'copy',
    });
    expect(exported.rows).toBe(8);
    const db = new Database(f.file);
    db.exec(await fs.readFile(file, 'utf8'));
    db.close();
    const check = await diff(f.host, {
      a: { kind: 'dataset', ref: { connectionId: f.connectionId, path: ['copy'] } },
      b: { kind: 'dataset', ref: f.sales },
    });
    expect(check.counts).toMatchObject({ added: 0, removed: 0, changed: 0 });
  });

  it('of a CSV file against the table: the same rows are equal, whatever the CSV’s order', async () => {
    const db = new Database(f.file, { readonly: true });
    const rows = db
      .prepare('SELECT * FROM sales ORDER BY currency, id DESC')
      .raw(true)
      .all() as unknown[][];
    const names = db
      .prepare('SELECT * FROM sales LIMIT 1')
      .columns()
      .map((c) => c.name);
    db.close();
    const text = [
      names.join(','),
      ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')),
    ];
    const file = path.join(f.dir, 'sales.csv');
    await fs.writeFile(file, `${text.join('\n')}\n`);
    const equal = await diff(f.host, {
      a: { kind: 'csv', file },
      b: { kind: 'dataset', ref: f.sales },
      key: ['id'],
    });
    expect(equal.counts).toMatchObject({ added: 0, removed: 0, changed: 0, unchanged: 20_000 });
    const changed = await diff(f.host, {
      a: { kind: 'csv', file },
      b: { kind: 'snapshot', snapshotId: before },
      key: ['id'],
    });
    expect(changed.counts).toEqual({ added: 2, removed: 2, changed: 4, unchanged: 19_994 });
  });
});
