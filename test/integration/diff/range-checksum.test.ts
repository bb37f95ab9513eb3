/**
 * Range checksums computed by PostgreSQL, MariaDB and SQLite on the same logical rows are equal:
 * decimals with trailing zeros, doubles printed with different digit counts, timestamps given in
 * other zones, NULL next to '', unicode text, bytes. Key ranges follow scan.ts's binary text
 * order even where the column's own collation (ICU in PostgreSQL) orders otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, RangeChecksumRequest } from '../../../electron/backends/backend.js';
import { mysqlFactory, type MysqlConfig } from '../../../electron/backends/mysql/mysql-backend.js';
import {
  postgresFactory,
  type PostgresConfig,
} from '../../../electron/backends/postgres/postgres-backend.js';
import { compareKeys, type KeyRange } from '../../../electron/backends/scan.js';
import { sqliteFactory } from '../../../electron/backends/sqlite/sqlite-backend.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlAvailable,
  postgresAvailable,
  type TestDatabase,
} from '../../support/servers.js';

const skip = (await postgresAvailable()) ?? (await mysqlAvailable());
if (skip) console.warn(`⚠ SKIPPED cross-engine range checksum tests: ${skip}`);

const columns = ['id', 'amount', 'ratio', 'flag', 'day', 'at', 'local', 'label', 'raw'];
const textKeys = ['B', 'a', 'Z', 'é', 'e', 'Ä', 'ab', 'A', 'a b', 'z', '😀', 'ß'];

const postgresSql = `
  CREATE TABLE vals (id int PRIMARY KEY, amount numeric(12,4), ratio float8, flag boolean,
    day date, at timestamptz, local timestamp, label text, raw bytea);
  INSERT INTO vals VALUES
    (1, 12.5000, 0.30000000000000004, true, '2020-02-29', '2020-01-01 10:00:00.5+02',
     '1999-12-31 23:59:59.999999', 'héllo wörld ✓ 😀', '\\x00ff10'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL),
    (3, -0.0010, 1e20, false, '1900-01-01', '1970-01-02 00:00:00-01:30', '2038-01-19 03:14:08',
     E'a''b\\n\\t', '\\x'),
    (4, 100, 1e-7, true, '2024-12-31', '2024-06-30 23:59:59.25Z', '2024-06-30 23:59:59.25',
     'N', '\\x4e'),
    (5, -7.25, -2.5, false, '2000-01-01', '2000-01-01 00:00:00+14', '2000-01-01 00:00:00',
     '  padded  ', '\\x20');
  CREATE TABLE names (k text COLLATE "en-x-icu" PRIMARY KEY, n int);
  CREATE TABLE blank (id int PRIMARY KEY, v text);
  INSERT INTO blank VALUES (1, NULL);
  CREATE TABLE empty (id int PRIMARY KEY, v text);
  INSERT INTO empty VALUES (1, '');`;

const mysqlSql = `
  SET time_zone = '+00:00';
  CREATE TABLE vals (id int PRIMARY KEY, amount decimal(12,4), ratio double, flag boolean,
    day date, at timestamp(6) NULL, local datetime(6), label text, raw blob);
  INSERT INTO vals VALUES
    (1, 12.5000, 0.30000000000000004, true, '2020-02-29', '2020-01-01 08:00:00.5',
     '1999-12-31 23:59:59.999999', 'héllo wörld ✓ 😀', X'00ff10'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL),
    (3, -0.0010, 1e20, false, '1900-01-01', '1970-01-02 01:30:00', '2038-01-19 03:14:08',
     'a''b\\n\\t', X''),
    (4, 100, 1e-7, true, '2024-12-31', '2024-06-30 23:59:59.25', '2024-06-30 23:59:59.25',
     'N', X'4e'),
    (5, -7.25, -2.5, false, '2000-01-01', '1999-12-31 10:00:00', '2000-01-01 00:00:00',
     '  padded  ', X'20');
  CREATE TABLE names (k varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PRIMARY KEY, n int);`;

const sqliteSql = `
  CREATE TABLE vals (id INTEGER PRIMARY KEY, amount DECIMAL(12,4), ratio REAL, flag BOOLEAN,
    day DATE, at TIMESTAMP, local DATETIME, label TEXT, raw BLOB);
  INSERT INTO vals VALUES
    (1, 12.5000, 0.30000000000000004, 1, '2020-02-29', '2020-01-01 10:00:00.5+02:00',
     '1999-12-31 23:59:59.999999', 'héllo wörld ✓ 😀', X'00ff10'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL),
    (3, -0.0010, 1e20, 0, '1900-01-01', '1970-01-02T00:00:00-01:30', '2038-01-19 03:14:08',
     'a''b' || char(10) || char(9), X''),
    (4, 100, 1e-7, 1, '2024-12-31', '2024-06-30T23:59:59.25Z', '2024-06-30 23:59:59.250',
     'N', X'4e'),
    (5, -7.25, -2.5, 0, '2000-01-01', '2000-01-01 00:00:00+14:00', '2000-01-01 00:00:00',
     '  padded  ', X'20');
  CREATE TABLE names (k TEXT PRIMARY KEY, n INTEGER);`;

const nameRows = textKeys.map((k, i) => `('${k}', ${i})`).join(', ');

describe.skipIf(skip !== undefined)('range checksums across engines', () => {
  let pg: TestDatabase<PostgresConfig>;
  let my: TestDatabase<MysqlConfig>;
  let dir: string;
  const engines: [string, Backend][] = [];

  beforeAll(async () => {
    pg = await createPostgresDatabase();
    my = await createMysqlDatabase();
    await pg.exec(`${postgresSql} INSERT INTO names VALUES ${nameRows};`);
    await my.exec(`${mysqlSql} INSERT INTO names VALUES ${nameRows};`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-range-checksum-'));
    const file = path.join(dir, 'vals.db');
    const db = new Database(file);
    db.exec(`${sqliteSql} INSERT INTO names VALUES ${nameRows};`);
    db.close();
    engines.push(['PostgreSQL', await postgresFactory.open(pg.config)]);
    engines.push(['MariaDB', await mysqlFactory.open(my.config)]);
    engines.push(['SQLite', await sqliteFactory.open({ kind: 'sqlite', path: file })]);
  });
  afterAll(async () => {
    await Promise.all(engines.map(([, backend]) => backend.close()));
    await pg?.drop();
    await my?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const everyEngine = (table: string, request: RangeChecksumRequest) =>
    Promise.all(
      engines.map(async ([name, backend]) => ({
        name,
        sums: await backend.checksumRanges!([table], request),
      })),
    );

  it.each(columns)('agrees on column %s, row by row and over ranges', async (column) => {
    const ranges: KeyRange[] = [{}, ...[1, 2, 3, 4, 5].map((id) => ({ from: [id], to: [id + 1] }))];
    const [first, ...others] = await everyEngine('vals', {
      key: ['id'],
      columns: [column],
      ranges,
    });
    expect(first!.sums[0]!.rows).toBe(5);
    expect(first!.sums.slice(1).map((s) => s.rows)).toEqual([1, 1, 1, 1, 1]);
    for (const other of others)
      expect({ [other.name]: other.sums }).toEqual({ [other.name]: first!.sums });
  });

  it('agrees on whole rows, and a changed cell changes the checksum', async () => {
    const request = { key: ['id'], columns, ranges: [{}, { from: [2], to: [4] }] };
    const results = await everyEngine('vals', request);
    for (const { sums } of results) expect(sums).toEqual(results[0]!.sums);
    const justOne = await everyEngine('vals', {
      key: ['id'],
      columns: ['id', 'label'],
      ranges: [{}],
    });
    expect(justOne[0]!.sums[0]!.checksum).not.toBe(results[0]!.sums[0]!.checksum);
  });

  it('offers PostgreSQL’s own faster hash between two PostgreSQL stores, md5-60 everywhere', async () => {
    const [postgres, mariadb, sqlite] = engines.map(([, backend]) => backend);
    expect(postgres!.rangeChecksumHashes).toEqual(['postgres-hashtext64', 'md5-60']);
    expect(mariadb!.rangeChecksumHashes).toEqual(['md5-60']);
    const request = { key: ['id'], columns, ranges: [{}, { from: [3] }] };
    const native = await postgres!.checksumRanges!(['vals'], {
      ...request,
      hash: 'postgres-hashtext64',
    });
    const portable = await postgres!.checksumRanges!(['vals'], request);
    expect(native.map((s) => s.rows)).toEqual([5, 3]);
    expect(native[0]!.checksum).not.toBe(portable[0]!.checksum);
    await expect(
      sqlite!.checksumRanges!(['vals'], { ...request, hash: 'postgres-hashtext64' }),
    ).rejects.toThrow(/cannot checksum rows with the “postgres-hashtext64” hash/);
  });

  it('tells NULL from the empty text', async () => {
    const backend = engines[0]![1];
    const request = { key: ['id'], columns: ['id', 'v'], ranges: [{}] };
    const [nullSum] = await backend.checksumRanges!(['blank'], request);
    const [emptySum] = await backend.checksumRanges!(['empty'], request);
    expect(nullSum!.rows).toBe(1);
    expect(nullSum!.checksum).not.toBe(emptySum!.checksum);
  });

  it('orders a text key by its bytes, whatever the column collation', async () => {
    const sorted = [...textKeys].sort((x, y) => compareKeys([x], [y]));
    const cuts = ['a', 'e', 'é'];
    const ranges = splitAt(cuts);
    const expected = ranges.map(
      (r) =>
        sorted.filter(
          (k) =>
            (!r.from || compareKeys([k], r.from) >= 0) && (!r.to || compareKeys([k], r.to) < 0),
        ).length,
    );
    // A B Z | a "a b" ab | e z Ä ß | é 😀 — code point order, not a dictionary's.
    expect(expected).toEqual([3, 3, 4, 2]);
    const results = await everyEngine('names', { key: ['k'], columns: ['k', 'n'], ranges });
    for (const { name, sums } of results) {
      expect({ [name]: sums.map((s) => s.rows) }).toEqual({ [name]: expected });
      expect(sums).toEqual(results[0]!.sums);
    }
    for (const [name, backend] of engines) {
      const bounds = await backend.keyBoundaries!(['names'], {
        key: ['k'],
        range: {},
        segments: 4,
      });
      expect({ [name]: bounds }).toEqual({ [name]: [[sorted[3]], [sorted[6]], [sorted[9]]] });
    }
  });

  it('cuts an integer key by arithmetic within a range', async () => {
    for (const [name, backend] of engines) {
      const bounds = await backend.keyBoundaries!(['vals'], {
        key: ['id'],
        range: { from: [2] },
        segments: 2,
      });
      expect({ [name]: bounds }).toEqual({ [name]: [[4]] });
    }
  });
});

function splitAt(cuts: string[]): KeyRange[] {
  const edges: (string[] | undefined)[] = [undefined, ...cuts.map((c) => [c]), undefined];
  return edges.slice(0, -1).map((from, i) => {
    const to = edges[i + 1];
    return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  });
}
