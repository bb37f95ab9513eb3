/**
 * The SQLite page walk (sqlite-pages.ts) against the statement scan, byte for byte: every serial
 * type, integers at each size's edges, negative and 64-bit rowids, floats SQLite keeps as
 * integers, invalid UTF-8, text and blobs over overflow chains, a b-tree three levels deep, a
 * boolean column's oddities, records shorter than the table (ALTER TABLE ADD COLUMN). Tables and
 * files it must not read (WITHOUT ROWID, a PRIMARY KEY that is not the rowid, generated columns,
 * WAL) are left to the statement. And the read transaction it runs in keeps writers out.
 */
import { mkdtempSync, openSync, closeSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../electron/backends/backend.js';
import {
  filePageTable,
  readFileHeader,
  walkTable,
} from '../../../electron/backends/sqlite/sqlite-pages.js';
import { sqliteFactory } from '../../../electron/backends/sqlite/sqlite-backend.js';
import { RowWriter } from '../../../electron/versions/canonical.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-pages-'));
const file = path.join(dir, 'pages.db');
let backend: Backend;
/** Closed by the test's end only: see sqlite-scan.ts on closing a database file's descriptor. */
let fd: number;

const ints = [
  '0', '1', '-1', '127', '-128', '128', '32767', '-32768', '32768', '8388607', '-8388608',
  '2147483647', '-2147483648', '2147483648', '140737488355327', '-140737488355328',
  '140737488355328', '4503599627370496', '4503599627370497', '-4503599627370497',
  '9007199254740993', '9223372036854775807', '-9223372036854775808',
]; // prettier-ignore
const reals = ['0.5', '-0.0', '1e300', '-1.5e-300', '3.0', '1152921504606846976.0', '4.9e-324', '9e999', '-9e999', '0.1']; // prettier-ignore
const texts = [
  "''", "'plain'", "'é ü 😀 ß'", "CAST(X'FF41' AS TEXT)", "CAST(X'EDA080' AS TEXT)",
  "CAST(X'00410042' AS TEXT)", "printf('%.*c', 5000, 'x')", "printf('%.*c', 70000, 'é')",
]; // prettier-ignore
const blobs = ["X''", "X'00FF'", 'zeroblob(3000)', 'randomblob(9000)', 'randomblob(150000)'];
const flags = ['0', '1', '2', '-7', 'NULL', '0.0', '1.0', '2.5', "'yes'", '9223372036854775807'];
const rowids = ['-9223372036854775808', '-5', '4611686018427387904', '9223372036854775807'];

beforeAll(async () => {
  const db = new Database(file);
  const pick = (list: string[], i: number) => list[i % list.length]!;
  db.exec(`
    CREATE TABLE vals (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC,
      flag BOOLEAN, anything);
    CREATE TABLE grown (id INTEGER PRIMARY KEY, a TEXT);
    CREATE TABLE reordered (x TEXT, "key" INTEGER PRIMARY KEY, y REAL);
    CREATE TABLE norowid (id INTEGER PRIMARY KEY, a TEXT) WITHOUT ROWID;
    CREATE TABLE descending (id INTEGER PRIMARY KEY DESC, a TEXT);
    CREATE TABLE generated (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER AS (a * 2));
    CREATE TABLE twokeys (a INTEGER, b INTEGER, PRIMARY KEY (a, b));
    CREATE VIEW v AS SELECT * FROM vals;`);
  const insert = (sql: string) => db.exec(sql);
  db.transaction(() => {
    for (let i = 0; i < 6000; i++) {
      const id = i < rowids.length ? pick(rowids, i) : String(i * 3);
      // Every tenth row carries 1 KiB of text: enough pages for a b-tree three levels deep.
      const text = i % 10 === 0 ? `printf('%.*c', 1024, 'w') || ${i}` : pick(texts, i);
      const anything = pick([...ints, ...reals, ...texts, ...blobs, 'NULL'], i * 7);
      insert(
        `INSERT INTO vals VALUES (${id}, ${pick(ints, i)}, ${pick(reals, i)}, ${text},
          ${pick(blobs, i)}, ${pick(["'1.50'", "'abc'", '42', '7.0', 'NULL'], i)},
          ${pick(flags, i)}, ${anything})`,
      );
    }
    for (let i = 1; i <= 50; i++) insert(`INSERT INTO grown VALUES (${i}, 'a${i}')`);
  })();
  db.exec(`
    ALTER TABLE grown ADD COLUMN d INTEGER DEFAULT 7;
    ALTER TABLE grown ADD COLUMN e TEXT DEFAULT 'x';
    ALTER TABLE grown ADD COLUMN f BOOLEAN DEFAULT 1;
    ALTER TABLE grown ADD COLUMN g REAL DEFAULT 2.5;
    ALTER TABLE grown ADD COLUMN h BLOB;
    INSERT INTO grown VALUES (51, 'b', 8, 'y', 0, 1.5, X'01');
    INSERT INTO reordered VALUES ('one', 1, 1.5), ('two', 2, NULL);
    INSERT INTO norowid VALUES (1, 'a'), (2, 'b');
    INSERT INTO descending VALUES (1, 'a'), (2, 'b');
    INSERT INTO generated (id, a) VALUES (1, 1), (2, 2);`);
  db.close();
  backend = await sqliteFactory.open({ kind: 'sqlite', path: file });
  fd = openSync(file, 'r');
});

afterAll(async () => {
  await backend.close();
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

/** The table as the scan worker's statement encodes it (a key range keeps it off the pages). */
async function byStatement(table: string, key: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const range = { from: [-(2n ** 63n)] };
  for await (const batch of backend.scanEncoded!(['main', table], { orderBy: [key], range })) {
    parts.push(Buffer.from(batch.bytes)); // a copy: the bytes are valid until the next batch
  }
  return Buffer.concat(parts);
}

/** The table walked from the file's pages; undefined when the walk says it does not apply. */
async function byPages(table: string, key: string): Promise<Buffer | undefined> {
  const { columns } = await backend.describe(['main', table]);
  const db = new Database(file, { readonly: true });
  try {
    db.exec('BEGIN');
    const plan = filePageTable(db, { path: ['main', table], columns, orderBy: [key] });
    const header = readFileHeader(fd);
    if (!plan || !header) return undefined;
    const writer = new RowWriter(64);
    const parts: Buffer[] = [];
    let rows = 0;
    walkTable(fd, header, plan, writer, () => {
      if (++rows % 100 === 0) parts.push(writer.take());
      return true;
    });
    parts.push(writer.take());
    return Buffer.concat(parts);
  } finally {
    db.close();
  }
}

describe('SQLite page walk', () => {
  it('gives the statement scan’s bytes for every kind of value', async () => {
    const db = new Database(file, { readonly: true });
    const shape = db
      .prepare(
        `SELECT max(length(path) - length(replace(path, '/', ''))) AS depth,
           sum(pagetype = 'overflow') AS overflow FROM dbstat WHERE name = 'vals'`,
      )
      .get() as { depth: number; overflow: number };
    db.close();
    expect(shape.depth).toBeGreaterThanOrEqual(3); // leaves at '/000/000/': three levels
    expect(shape.overflow).toBeGreaterThan(100);
    const pages = await byPages('vals', 'id');
    expect(pages).toBeDefined();
    const statement = await byStatement('vals', 'id');
    expect(statement.length).toBeGreaterThan(6000 * 20);
    expect(pages!.equals(statement)).toBe(true);
  });

  it('gives records shorter than the table their columns’ defaults', async () => {
    const pages = await byPages('grown', 'id');
    expect(pages).toBeDefined();
    expect(pages!.equals(await byStatement('grown', 'id'))).toBe(true);
  });

  it('reads a table whose key is not its first column', async () => {
    const pages = await byPages('reordered', 'key');
    expect(pages).toBeDefined();
    expect(pages!.equals(await byStatement('reordered', 'key'))).toBe(true);
  });

  it('leaves tables it cannot read exactly to the statement', async () => {
    expect(await byPages('norowid', 'id')).toBeUndefined();
    expect(await byPages('descending', 'id')).toBeUndefined();
    expect(await byPages('generated', 'id')).toBeUndefined();
    expect(await byPages('twokeys', 'a')).toBeUndefined();
    expect(await byPages('vals', 'i')).toBeUndefined();
    expect(await byPages('v', 'id')).toBeUndefined();
  });

  it('a whole-table scan through the backend gives the same bytes', async () => {
    const parts: Uint8Array[] = [];
    for await (const batch of backend.scanEncoded!(['main', 'vals'], { orderBy: ['id'] })) {
      parts.push(Buffer.from(batch.bytes)); // a copy: the bytes are valid until the next batch
    }
    expect(Buffer.concat(parts).equals(await byStatement('vals', 'id'))).toBe(true);
  });

  it('holds writers off while it reads: its transaction keeps SQLite’s SHARED lock', () => {
    const reader = new Database(file, { readonly: true });
    const writer = new Database(file, { timeout: 0 });
    try {
      reader.exec('BEGIN');
      const plan = filePageTable(reader, { path: ['main', 'grown'], columns: [], orderBy: ['id'] });
      expect(plan).toBeDefined();
      expect(() => writer.exec("INSERT INTO grown (id, a) VALUES (1000, 'late')")).toThrow(
        /locked|busy/i,
      );
      reader.exec('COMMIT');
      writer.exec('DELETE FROM grown WHERE id = 1000');
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('reads pages only from the file its connection has open, not one put at its path since', async () => {
    const target = path.join(dir, 'replaced.db');
    const make = (at: string, label: string) => {
      const db = new Database(at);
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)');
      const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
      for (let i = 1; i <= 500; i++) insert.run(i, `${label} ${i}`);
      db.close();
    };
    make(target, 'first');
    const replaced = await sqliteFactory.open({ kind: 'sqlite', path: target });
    const read = async (range: boolean) => {
      const parts: Buffer[] = [];
      const options = { orderBy: ['id'], ...(range ? { range: { from: [0] } } : {}) };
      for await (const batch of replaced.scanEncoded!(['main', 't'], options)) {
        parts.push(Buffer.from(batch.bytes));
      }
      return Buffer.concat(parts);
    };
    try {
      const before = await read(false); // the scan worker's connection opens the first file
      make(`${target}.new`, 'second'); // then another file takes its path
      renameSync(`${target}.new`, target);
      const after = await read(false);
      expect(after.equals(await read(true))).toBe(true); // what the connection reads
      expect(after.equals(before)).toBe(true);
    } finally {
      await replaced.close();
    }
  });

  it('does not read a WAL file from its pages', () => {
    const walFile = path.join(dir, 'wal.db');
    const db = new Database(walFile);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)');
    db.close(); // before the descriptor below is closed, which would drop its locks
    const walFd = openSync(walFile, 'r');
    try {
      expect(readFileHeader(walFd)).toBeUndefined();
      expect(readFileHeader(fd)).toBeDefined();
    } finally {
      closeSync(walFd);
    }
  });
});
