/**
 * SQLite beyond the shared suite: the main thread stays responsive while a write runs; the
 * file's journal mode is left as it was; a process killed mid-write leaves the file as it was;
 * replace keeps indexes, triggers and the views that read the table; readers see the old rows
 * until the commit.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/backends/backend.js';
import { sqliteFactory } from '../../../electron/backends/sqlite/sqlite-backend.js';
import { RowPacker } from '../../../electron/backends/packed-rows.js';
import { SqliteWriteCore } from '../../../electron/backends/sqlite/sqlite-write-core.js';
import type { DatasetWriter } from '../../../electron/backends/writer.js';
import { col, volumeColumns, volumeRows } from './fixture.js';
import { target } from './fixture.js';
import { write } from './writer-suite.js';

const child = fileURLToPath(new URL('./sqlite-crash-child.ts', import.meta.url));
const byId = { sort: [{ column: 'id', direction: 'asc' as const }], filters: [] };

describe('SQLite writer', () => {
  let dir: string;
  let file: string;
  let backend: Backend;
  let writer: DatasetWriter;
  const raw = () => new Database(file);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'strata-sqlite-writer-'));
    file = path.join(dir, 'store.db');
    raw().close();
    backend = await sqliteFactory.open({ kind: 'sqlite', path: file });
    writer = backend.writer!;
  });
  afterAll(async () => {
    await backend?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the main thread free while 300,000 rows are written', async () => {
    const rows = volumeRows(0, 300_000);
    // The yardstick: the same write done on this thread, which it blocks throughout. Measured
    // in the same run, so a busy machine slows both alike.
    const inline = new SqliteWriteCore(file);
    const start = performance.now();
    inline.begin(target(['main', 'inline'], 'create', volumeColumns));
    for (let at = 0; at < rows.length; at += 10_000) inline.write(rows.slice(at, at + 10_000));
    inline.commit();
    const blocking = performance.now() - start;
    inline.close();

    const before = performance.eventLoopUtilization();
    let longest = 0;
    const timed = <T>(call: () => Promise<T>): Promise<T> => {
      const begun = performance.now();
      const promise = call();
      longest = Math.max(longest, performance.now() - begun);
      return promise;
    };
    const session = await timed(() =>
      writer.begin(target(['main', 'responsive'], 'create', volumeColumns)),
    );
    for (let at = 0; at < rows.length; at += 10_000) {
      await timed(() => session.write(rows.slice(at, at + 10_000)));
    }
    await timed(() => session.commit());
    const busy = performance.eventLoopUtilization(before).active;
    // Per call, the main thread only posts a batch (a structured clone, ~6 ms per 10,000 rows);
    // the inserts, the commit and the disk wait happen in the worker. No call holds the thread
    // for long, and all of them together less than the write itself would (the inline write got
    // faster with multi-row inserts, so a tighter share of it failed under load for the clone's
    // cost, which did not change).
    expect(longest).toBeLessThan(blocking / 4);
    expect(busy).toBeLessThan(blocking);
    expect(await backend.count(['main', 'responsive'], byId)).toBe(300_000);
  });

  it('leaves the journal mode as the file had it', async () => {
    const db = raw();
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
    await write(writer, target(['main', 'journal'], 'create', volumeColumns), volumeRows(0, 10));
    const wal = path.join(dir, 'wal.db');
    const walDb = new Database(wal);
    walDb.pragma('journal_mode = WAL');
    walDb.close();
    const walBackend = await sqliteFactory.open({ kind: 'sqlite', path: wal });
    await write(
      walBackend.writer!,
      target(['main', 't'], 'create', volumeColumns),
      volumeRows(0, 10),
    );
    await walBackend.close();
    const after = raw();
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
    const walAfter = new Database(wal);
    expect(walAfter.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(walAfter.prepare('SELECT count(*) FROM t').pluck().get()).toBe(10);
    walAfter.close();
  });

  for (const mode of ['create', 'append', 'replace'] as const) {
    it(`a process killed mid-write leaves the file as it was (${mode})`, async () => {
      const db = raw();
      db.exec('DROP TABLE IF EXISTS precious');
      if (mode !== 'create') {
        db.exec(
          'CREATE TABLE precious (id INTEGER PRIMARY KEY, name TEXT, amount NUMERIC, day DATE, flag BOOLEAN)',
        );
        db.exec("INSERT INTO precious (id, name) VALUES (1, 'one'), (2, 'two')");
      }
      db.close();
      const process = fork(child, [file, mode], {
        execArgv: ['--import', 'tsx'],
        stdio: 'inherit',
      });
      const [message] = (await once(process, 'message')) as [string];
      expect(message).toBe('written');
      process.kill('SIGKILL');
      await once(process, 'exit');
      const after = raw();
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      const tables = after
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE '%precious%' OR name LIKE '\\_strata%' ESCAPE '\\'",
        )
        .pluck()
        .all();
      if (mode === 'create') expect(tables).toEqual([]);
      else {
        expect(tables).toEqual(['precious']);
        expect(after.prepare('SELECT id, name FROM precious ORDER BY id').raw().all()).toEqual([
          [1, 'one'],
          [2, 'two'],
        ]);
      }
      after.close();
    });
  }

  it('replace keeps indexes, triggers and the views that read the table', async () => {
    const db = raw();
    db.exec(`CREATE TABLE kept (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL DEFAULT 'x' CHECK (length(name) < 40));
      CREATE INDEX kept_name ON kept (name);
      CREATE TABLE kept_log (id INTEGER);
      CREATE TRIGGER kept_logged AFTER INSERT ON kept BEGIN INSERT INTO kept_log VALUES (new.id); END;
      CREATE VIEW kept_names AS SELECT name FROM kept;
      INSERT INTO kept VALUES (1, 'old');`);
    const columns = [col('id', 'integer', false), col('name', 'text')];
    await write(writer, target(['main', 'kept'], 'replace', columns), [
      [5, 'new'],
      [6, 'newer'],
    ]);
    expect(db.prepare('SELECT name FROM kept_names ORDER BY name').pluck().all()).toEqual([
      'new',
      'newer',
    ]);
    const schema = db
      .prepare(
        "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'kept' ORDER BY type, name",
      )
      .raw()
      .all() as string[][];
    expect(schema.map((r) => r.slice(0, 2))).toEqual([
      ['index', 'kept_name'],
      ['table', 'kept'],
      ['trigger', 'kept_logged'],
    ]);
    expect(String(schema[1]![2])).toMatch(/VARCHAR\(40\) NOT NULL DEFAULT 'x' CHECK/);
    // Recreated after the load, the trigger did not fire for the loaded rows.
    expect(db.prepare('SELECT id FROM kept_log').pluck().all()).toEqual([1]);
    db.close();
  });

  it('writes a table wide enough that its statements take their values as one array', () => {
    // 120 columns × 50 rows a statement is past the values passed as separate arguments.
    const columns = [
      col('id', 'integer', false),
      ...Array.from({ length: 119 }, (_, c) => col(`c${c}`, c % 2 ? 'text' : 'float')),
    ];
    const rows = Array.from({ length: 130 }, (_, r) => [
      r,
      ...Array.from({ length: 119 }, (_, c) => (c % 2 ? `r${r}c${c}` : r * 1000 + c + 0.5)),
    ]);
    const core = new SqliteWriteCore(file);
    core.begin(target(['main', 'wide'], 'create', columns));
    core.write(rows.slice(0, 60));
    const packer = new RowPacker(columns.length, 70);
    for (const row of rows.slice(60)) packer.add(row);
    core.writePacked(packer.take());
    expect(core.commit()).toBe(130);
    core.close();
    const db = raw();
    try {
      const back = db.prepare('SELECT * FROM wide ORDER BY id').raw().all();
      expect(back).toEqual(rows);
    } finally {
      db.close();
    }
  });

  it('readers see the old rows until the commit', async () => {
    await write(writer, target(['main', 'visible'], 'create', volumeColumns), volumeRows(0, 5));
    const session = await writer.begin(target(['main', 'visible'], 'append', volumeColumns));
    await session.write(volumeRows(5, 10_000));
    expect(await backend.count(['main', 'visible'], byId)).toBe(5);
    await session.commit();
    expect(await backend.count(['main', 'visible'], byId)).toBe(10_005);
  });
});
