/**
 * `Backend.scan` in SQLite, PostgreSQL and MariaDB on the same rows: full values (text of 300k
 * characters, a 100 KiB blob, a bigint past 2^53, NULLs), key order as `compareRowValues` orders
 * text (by UTF-8 bytes, whatever the column's collation), key ranges, batches of the asked size,
 * and cancel — after which the store answers the next scan. The paged fallback (scan-rows.ts)
 * gives a store without `scan` the same rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { mysqlFactory } from '../../../electron/backends/mysql/mysql-backend.js';
import { postgresFactory } from '../../../electron/backends/postgres/postgres-backend.js';
import {
  compareRowValues,
  type RowValue,
  type ScanOptions,
} from '../../../electron/backends/scan.js';
import { sqliteFactory } from '../../../electron/backends/sqlite/sqlite-backend.js';
import { scanRows } from '../../../electron/versions/scan-rows.js';
import { pagesOnly } from '../../support/paged-backend.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlAvailable,
  postgresAvailable,
} from '../../support/servers.js';

const rowCount = 1_000;
const big = 9_007_199_254_740_993n; // 2^53 + 1: not a double
const longText = 'ü€😀x'.repeat(75_000); // 300,000 UTF-16 units, past page's and cell's cuts
const blobHex = 'ab01'.repeat(51_200); // 100 KiB, past cell()'s 64 KiB
const words = ['B', 'a', 'Z', 'é', 'ab', 'a b', '😀', 'ß'];

interface Engine {
  name: string;
  skip?: string | undefined;
  open(): Promise<{ backend: Backend; schema: string; drop(): Promise<void> }>;
}

/** Rows 2..n: small values; row 1 the long ones (built per engine, as literals differ). */
const smallRows = (literal: (id: number) => string) =>
  Array.from({ length: rowCount - 1 }, (_, i) => literal(i + 2)).join(',\n');

const engines: Engine[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-scan-'));
      const file = path.join(dir, 'scan.db');
      const db = new Database(file);
      db.exec(`
        CREATE TABLE vals (id INTEGER PRIMARY KEY, big BIGINT, t TEXT, b BLOB, n TEXT, flag BOOLEAN);
        INSERT INTO vals VALUES (1, ${big}, '${longText}', X'${blobHex}', NULL, 1),
          ${smallRows((id) => `(${id}, ${id * 3}, 'row ${id}', X'0${id % 10}', NULL, ${id % 2})`)};
        CREATE TABLE words (w TEXT COLLATE NOCASE PRIMARY KEY, n INTEGER);
        INSERT INTO words VALUES ${words.map((w, i) => `('${w}', ${i})`).join(', ')};`);
      db.close();
      const backend = await sqliteFactory.open({ kind: 'sqlite', path: file });
      return {
        backend,
        schema: 'main',
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: await postgresAvailable(),
    open: async () => {
      const db = await createPostgresDatabase();
      await db.exec(`
        CREATE TABLE vals (id int PRIMARY KEY, big bigint, t text, b bytea, n text, flag boolean);
        INSERT INTO vals VALUES (1, ${big}, '${longText}', '\\x${blobHex}', NULL, true),
          ${smallRows((id) => `(${id}, ${id * 3}, 'row ${id}', '\\x0${id % 10}', NULL, ${id % 2 === 1})`)};
        CREATE TABLE words (w text COLLATE "en-x-icu" PRIMARY KEY, n int);
        INSERT INTO words VALUES ${words.map((w, i) => `('${w}', ${i})`).join(', ')};`);
      return { backend: await postgresFactory.open(db.config), schema: 'public', drop: db.drop };
    },
  },
  {
    name: 'MariaDB',
    skip: await mysqlAvailable(),
    open: async () => {
      const db = await createMysqlDatabase();
      await db.exec(`
        CREATE TABLE vals (id int PRIMARY KEY, big bigint, t longtext, b longblob, n text,
          flag tinyint(1));
        INSERT INTO vals VALUES (1, ${big}, '${longText}', X'${blobHex}', NULL, 1),
          ${smallRows((id) => `(${id}, ${id * 3}, 'row ${id}', X'0${id % 10}', NULL, ${id % 2})`)};
        CREATE TABLE words (w varchar(20) PRIMARY KEY, n int) COLLATE utf8mb4_general_ci;
        INSERT INTO words VALUES ${words.map((w, i) => `('${w}', ${i})`).join(', ')};`);
      const backend = await mysqlFactory.open(db.config);
      return { backend, schema: db.config.database!, drop: db.drop };
    },
  },
];

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function collect(
  backend: Backend,
  dataset: string[],
  options: ScanOptions = {},
): Promise<{ rows: RowValue[][]; batches: number[] }> {
  const rows: RowValue[][] = [];
  const batches: number[] = [];
  for await (const batch of backend.scan!(dataset, options)) {
    batches.push(batch.length);
    rows.push(...batch);
  }
  return { rows, batches };
}

for (const engine of engines) {
  describe.skipIf(engine.skip !== undefined)(`scan: ${engine.name}`, () => {
    let backend: Backend;
    let vals: string[];
    let wordsTable: string[];
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const opened = await engine.open();
      ({ backend, drop } = opened);
      vals = [opened.schema, 'vals'];
      wordsTable = [opened.schema, 'words'];
    }, 60_000);
    afterAll(async () => {
      await backend?.close();
      await drop?.();
    });

    it('streams every row whole, in key order, in batches of the asked size', async () => {
      const { rows, batches } = await collect(backend, vals, { batchRows: 100 });
      expect(rows.map((r) => r[0])).toEqual(Array.from({ length: rowCount }, (_, i) => i + 1));
      expect(batches.length).toBeGreaterThanOrEqual(10);
      expect(Math.max(...batches)).toBeLessThanOrEqual(100);
      const [id, bigValue, text, blob, nothing, flag] = rows[0]!;
      expect(id).toBe(1);
      expect(bigValue).toBe(big);
      expect(text).toBe(longText);
      expect(hex(blob as Uint8Array)).toBe(blobHex);
      expect(nothing).toBeNull();
      expect(flag).toBe(true);
      const [, ...second] = rows[1]!;
      expect(second.map((v) => (v instanceof Uint8Array ? hex(v) : v))).toEqual([
        6,
        'row 2',
        '02',
        null,
        false,
      ]);
    });

    it('reads a key range: from inclusive, to exclusive', async () => {
      const { rows } = await collect(backend, vals, { range: { from: [200], to: [300] } });
      expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 100 }, (_, i) => i + 200));
      const tail = await collect(backend, vals, { range: { from: [rowCount - 1] } });
      expect(tail.rows.map((r) => r[0])).toEqual([rowCount - 1, rowCount]);
    });

    it('orders text keys by their UTF-8 bytes, whatever the column collation', async () => {
      const { rows } = await collect(backend, wordsTable);
      const sorted = [...words].sort(compareRowValues);
      expect(rows.map((r) => r[0])).toEqual(sorted);
      const { rows: ranged } = await collect(backend, wordsTable, {
        range: { from: ['Z'], to: ['é'] },
      });
      expect(ranged.map((r) => r[0])).toEqual(sorted.filter((w) => w >= 'Z' && w < 'é'));
    });

    it('stops on cancel, and the store answers the next scan', async () => {
      const controller = new AbortController();
      const seen: number[] = [];
      const reading = (async () => {
        for await (const batch of backend.scan!(vals, {
          signal: controller.signal,
          batchRows: 50,
        })) {
          seen.push(batch.length);
          controller.abort();
        }
      })();
      await expect(reading).rejects.toMatchObject({ code: 'cancelled' });
      expect(seen).toHaveLength(1);
      expect((await collect(backend, vals)).rows).toHaveLength(rowCount);
    });

    it('gives a store without scan the same rows through its pages', async () => {
      // The same store, seen through the Backend methods every store has (no scan).
      const paged = pagesOnly(backend);
      const schema = await backend.describe(wordsTable);
      const read = async (options: ScanOptions) => {
        const out: RowValue[][] = [];
        for await (const b of scanRows(paged, wordsTable, schema, options).batches) out.push(...b);
        return out;
      };
      // Paged order is the store's own (its collation); compare as sets, then the range.
      const all = await read({});
      expect(all.map((r) => r[0]!).sort(compareRowValues)).toEqual(
        (await collect(backend, wordsTable)).rows.map((r) => r[0]),
      );
      const numbers = await (async () => {
        const valsSchema = await backend.describe(vals);
        const out: RowValue[][] = [];
        for await (const b of scanRows(paged, vals, valsSchema, {
          range: { from: [10], to: [20] },
        }).batches)
          out.push(...b);
        return out;
      })();
      expect(numbers.map((r) => r[0])).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    });

    it('says what is wrong with a range on no key', async () => {
      const failing = collect(backend, vals, { orderBy: [], range: { from: [1] } });
      await expect(failing).rejects.toBeInstanceOf(AppError);
    });
  });
}
