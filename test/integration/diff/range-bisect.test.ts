/**
 * differingRanges on live tables: equal tables give no ranges; scattered updates, inserts and
 * deletes each fall inside the small ranges it answers (so a diff reads a fraction of the rows);
 * PostgreSQL against MariaDB and a text key against SQLite bisect the same way; and it stops
 * when cancelled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { mysqlFactory, type MysqlConfig } from '../../../electron/backends/mysql/mysql-backend.js';
import {
  postgresFactory,
  type PostgresConfig,
} from '../../../electron/backends/postgres/postgres-backend.js';
import { compareKeys, type KeyRange, type RowValue } from '../../../electron/backends/scan.js';
import { sqliteFactory } from '../../../electron/backends/sqlite/sqlite-backend.js';
import { differingRanges, type BisectProgress } from '../../../electron/diff/range-bisect.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlAvailable,
  postgresAvailable,
  type TestDatabase,
} from '../../support/servers.js';

const skip = (await postgresAvailable()) ?? (await mysqlAvailable());
if (skip) console.warn(`⚠ SKIPPED range bisection tests: ${skip}`);

const rows = 200_000;
const columns = ['id', 'name', 'amount', 'day'];
const minRows = 1_000;

/** Deterministic scattered ids: 1 + (i * 7919) mod n never repeats for i < n (7919 is prime). */
const scattered = (count: number, offset: number, n = rows) =>
  Array.from({ length: count }, (_, i) => 1 + (((i + offset) * 7919) % n));

const updated = scattered(40, 0);
const deleted = scattered(30, 1000);
const inserted = Array.from({ length: 30 }, (_, i) => rows + 1 + i * 3).concat(scattered(0, 0));
const edited = [...updated, ...deleted, ...inserted];

const inRange = (key: readonly RowValue[], r: KeyRange) =>
  (!r.from || compareKeys(key, r.from) >= 0) && (!r.to || compareKeys(key, r.to) < 0);

function expectOrderedAndDisjoint(ranges: readonly KeyRange[]) {
  for (let i = 1; i < ranges.length; i++) {
    expect(compareKeys(ranges[i - 1]!.to!, ranges[i]!.from!)).toBeLessThanOrEqual(0);
  }
}

describe.skipIf(skip !== undefined)('differingRanges', () => {
  let pg: TestDatabase<PostgresConfig>;
  let my: TestDatabase<MysqlConfig>;
  let postgres: Backend;
  let mariadb: Backend;
  let sqlite: Backend;
  let dir: string;

  beforeAll(async () => {
    pg = await createPostgresDatabase();
    my = await createMysqlDatabase();
    const generated = (g: string) =>
      `${g}, 'name ' || ${g}, (${g} * 7 % 100000) / 100.0, DATE '2020-01-01' + (${g} % 1000)`;
    await pg.exec(`
      CREATE TABLE a (id int PRIMARY KEY, name text, amount numeric(10,2), day date);
      INSERT INTO a SELECT ${generated('g')} FROM generate_series(1, ${rows}) g;
      CREATE TABLE same (LIKE a INCLUDING ALL);
      INSERT INTO same SELECT * FROM a;
      CREATE TABLE b (LIKE a INCLUDING ALL);
      INSERT INTO b SELECT * FROM a;
      UPDATE b SET amount = amount + 1 WHERE id IN (${updated.join(',')});
      DELETE FROM b WHERE id IN (${deleted.join(',')});
      INSERT INTO b SELECT ${generated('g')} FROM unnest(ARRAY[${inserted.join(',')}]) g;
      CREATE TABLE texts (k text PRIMARY KEY, n int);
      INSERT INTO texts SELECT 'key ' || g, g FROM generate_series(1, 20000) g;
      ANALYZE;`);
    await my.exec(`
      CREATE TABLE b (id int PRIMARY KEY, name text, amount decimal(10,2), day date);
      INSERT INTO b SELECT seq, CONCAT('name ', seq), (seq * 7 % 100000) / 100.0,
        DATE '2020-01-01' + INTERVAL (seq % 1000) DAY FROM seq_1_to_${rows};
      UPDATE b SET amount = amount + 1 WHERE id IN (${updated.join(',')});
      DELETE FROM b WHERE id IN (${deleted.join(',')});`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-range-bisect-'));
    const file = path.join(dir, 'texts.db');
    const db = new Database(file);
    db.exec('CREATE TABLE texts (k TEXT PRIMARY KEY, n INTEGER)');
    const insert = db.prepare('INSERT INTO texts VALUES (?, ?)');
    db.transaction(() => {
      for (let g = 1; g <= 20_000; g++) insert.run(g % 997 === 0 ? `key ${g}!` : `key ${g}`, g);
    })();
    db.close();
    postgres = await postgresFactory.open(pg.config);
    mariadb = await mysqlFactory.open(my.config);
    sqlite = await sqliteFactory.open({ kind: 'sqlite', path: file });
  });
  afterAll(async () => {
    await Promise.all([postgres?.close(), mariadb?.close(), sqlite?.close()]);
    await pg?.drop();
    await my?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const side = (backend: Backend, table: string) => ({ backend, path: [table] });

  it('finds nothing between equal tables, after one level of checksums', async () => {
    const progress: BisectProgress[] = [];
    const ranges = await differingRanges(
      side(postgres, 'a'),
      side(postgres, 'same'),
      ['id'],
      columns,
      {
        onProgress: (p) => progress.push(p),
      },
    );
    expect(ranges).toEqual([]);
    expect(progress.at(-1)).toEqual({ rangesChecked: 1024, rowsCovered: rows });
  });

  it('answers small ranges holding every updated, inserted and deleted row', async () => {
    const ranges = await differingRanges(
      side(postgres, 'a'),
      side(postgres, 'b'),
      ['id'],
      columns,
      {
        minRows,
      },
    );
    expectOrderedAndDisjoint(ranges);
    for (const id of edited) expect(ranges.some((r) => inRange([id], r))).toBe(true);
    const counts = await postgres.checksumRanges!(['a'], { key: ['id'], columns: ['id'], ranges });
    const covered = counts.reduce((sum, c) => sum + c.rows, 0);
    expect(counts.every((c) => c.rows <= minRows)).toBe(true);
    // 100 edits (some share a range) in ranges of at most ~800 rows: well under a third.
    expect(covered).toBeLessThan(rows / 3);
  });

  it('bisects PostgreSQL against MariaDB holding the same rows but for the edits', async () => {
    const ranges = await differingRanges(side(postgres, 'a'), side(mariadb, 'b'), ['id'], columns, {
      minRows,
    });
    for (const id of [...updated, ...deleted]) {
      expect(ranges.some((r) => inRange([id], r))).toBe(true);
    }
    expect(ranges.length).toBeLessThanOrEqual(updated.length + deleted.length);
  });

  it('bisects a text key by quantiles, PostgreSQL against SQLite', async () => {
    const changed = Array.from({ length: 20 }, (_, i) => (i + 1) * 997).map((g) => `key ${g}`);
    const ranges = await differingRanges(
      side(postgres, 'texts'),
      side(sqlite, 'texts'),
      ['k'],
      ['k', 'n'],
      {
        minRows: 200,
      },
    );
    expectOrderedAndDisjoint(ranges);
    for (const k of changed) {
      expect(ranges.some((r) => inRange([k], r))).toBe(true);
      expect(ranges.some((r) => inRange([`${k}!`], r))).toBe(true);
    }
  });

  it('stops a checksum scan running on the server when its signal is aborted', async () => {
    const controller = new AbortController();
    const progress: BisectProgress[] = [];
    const run = differingRanges(side(postgres, 'a'), side(mariadb, 'b'), ['id'], columns, {
      signal: controller.signal,
      onProgress: (p) => progress.push(p),
    });
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toSatisfy(
      (error) => error instanceof AppError && error.code === 'cancelled',
    );
    // Aborted inside the first level's scans, before any of them answered.
    expect(progress).toEqual([]);
  });

  it('stops with “cancelled” when its signal is aborted mid-way', async () => {
    const controller = new AbortController();
    const run = differingRanges(side(postgres, 'a'), side(postgres, 'b'), ['id'], columns, {
      minRows,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toSatisfy(
      (error) => error instanceof AppError && error.code === 'cancelled',
    );
  });
});
