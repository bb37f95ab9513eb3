/**
 * The SQLite engine end to end: real files built here, read through the backend's worker pool,
 * compared with what a direct better-sqlite3 connection reads from the same file.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/backends/backend.js';
import { encodeCell } from '../../electron/backends/cells.js';
import { sqliteFactory } from '../../electron/backends/sqlite/sqlite-backend.js';
import type { Filter, SortSpec, ViewSpec } from '../../shared/model.js';

let dir: string;
let file: string;
let backend: Backend;

const longText = 'x'.repeat(1_500);
const photo = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37) % 256));
const bigRows = 5_000;
const shadowRows = 2_500;
const heavyRows = 400_000;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-sqlite-'));
  file = path.join(dir, 'fixture.db');
  const db = new Database(file);
  db.exec(`
    CREATE TABLE people (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, nick TEXT, score REAL, active BOOLEAN,
      photo BLOB, "<img src=x>" TEXT, big BIGINT
    );
    CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID;
    CREATE TABLE shadow (rowid TEXT, x INTEGER);
    CREATE TABLE big (id INTEGER PRIMARY KEY, grp INTEGER, label TEXT);
    CREATE TABLE heavy (t TEXT);
    CREATE VIEW active_people AS SELECT id, name FROM people WHERE active;
  `);
  const person = db.prepare('INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  person.run(
    1,
    'Ada',
    null,
    9.5,
    1,
    Buffer.from([0x00, 0xff, 0x10]),
    '<b>x</b>',
    9007199254740993n,
  );
  person.run(2, 'Grace', '', 7.25, 0, null, null, 1);
  person.run(3, '東京 🚀', 'tokyo', null, 1, null, 'a', null);
  person.run(4, 'Linus', 'lt', 7.25, 1, photo, longText, 2);
  person.run(5, '50% off_sale', null, 3, 0, null, '', -5);
  db.prepare('INSERT INTO kv VALUES (?, ?), (?, ?), (?, ?)').run('b', 2, 'a', 1, 'c', 3);
  db.transaction(() => {
    const shadow = db.prepare('INSERT INTO shadow VALUES (?, ?)');
    for (let i = 1; i <= shadowRows; i++) shadow.run(`r${shadowRows - i}`, i % 3);
    const big = db.prepare('INSERT INTO big VALUES (?, ?, ?)');
    for (let i = 1; i <= bigRows; i++)
      big.run(i, i % 7, i % 11 === 0 ? null : `L${(i * 7919) % 1000}`);
    const heavy = db.prepare('INSERT INTO heavy VALUES (?)');
    for (let i = 0; i < heavyRows; i++) heavy.run(((i * 2654435761) % 4294967296).toString(36));
  })();
  db.close();
  backend = await sqliteFactory.open({ kind: 'sqlite', path: file });
});

afterAll(async () => {
  await backend?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const view = (sort: SortSpec[] = [], filters: Filter[] = []): ViewSpec => ({ sort, filters });
const ids = async (filters: Filter[], sort: SortSpec[] = []) =>
  (await backend.page(['main', 'people'], view(sort, filters), 0, 100)).rows.map((r) => r[0]);

/** What a direct connection reads, encoded the way pages are. */
function direct(sql: string, types: Parameters<typeof encodeCell>[1][]): unknown[][] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(sql).raw(true).safeIntegers(true).all() as unknown[][];
    return rows.map((row) => row.map((v, i) => encodeCell(v, types[i]!)));
  } finally {
    db.close();
  }
}

describe('tree and describe', () => {
  it('lists tables, then views, with exact row counts for tables', async () => {
    const [main, ...others] = await backend.tree();
    expect(others).toEqual([]);
    expect(main).toMatchObject({ id: 'main', kind: 'schema', path: ['main'] });
    const children = main!.children!.map((c) => [c.label, c.kind, c.rowCount]);
    expect(children).toEqual([
      ['big', 'table', bigRows],
      ['heavy', 'table', heavyRows],
      ['kv', 'table', 3],
      ['people', 'table', 5],
      ['shadow', 'table', shadowRows],
      ['active_people', 'view', undefined],
    ]);
    expect(main!.children!.find((c) => c.label === 'people')!.path).toEqual(['main', 'people']);
  });

  it('describes columns, logical types, nullability and keys', async () => {
    const people = await backend.describe(['main', 'people']);
    expect(people.kind).toBe('table');
    expect(people.key).toEqual(['id']);
    expect(people.columns.map((c) => [c.name, c.type, c.nativeType, c.nullable])).toEqual([
      ['id', 'integer', 'INTEGER', false],
      ['name', 'text', 'TEXT', false],
      ['nick', 'text', 'TEXT', true],
      ['score', 'float', 'REAL', true],
      ['active', 'boolean', 'BOOLEAN', true],
      ['photo', 'blob', 'BLOB', true],
      ['<img src=x>', 'text', 'TEXT', true],
      ['big', 'bigint', 'BIGINT', true],
    ]);
    expect(await backend.describe(['main', 'kv'])).toMatchObject({ key: ['k'], kind: 'table' });
    expect(await backend.describe(['main', 'active_people'])).toMatchObject({
      key: [],
      kind: 'view',
    });
    expect((await backend.describe(['shadow'])).columns.map((c) => c.name)).toEqual(['rowid', 'x']);
  });

  it('reports a missing dataset and a malformed path with their codes', async () => {
    await expect(backend.describe(['main', 'nope'])).rejects.toMatchObject({ code: 'not-found' });
    await expect(backend.describe(['nope', 'people'])).rejects.toMatchObject({ code: 'not-found' });
    await expect(backend.describe(['a', 'b', 'c'])).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});

describe('pages and cells', () => {
  it('encodes every kind of value faithfully, NULL apart from the empty string', async () => {
    const { rows, offset } = await backend.page(['main', 'people'], view(), 0, 10);
    expect(offset).toBe(0);
    expect(rows).toEqual([
      [
        1,
        'Ada',
        null,
        9.5,
        true,
        { $blob: 3, head: '00ff10' },
        '<b>x</b>',
        { $bigint: '9007199254740993' },
      ],
      [2, 'Grace', '', 7.25, false, null, null, 1],
      [3, '東京 🚀', 'tokyo', null, true, null, 'a', null],
      [
        4,
        'Linus',
        'lt',
        7.25,
        true,
        { $blob: 100, head: photo.subarray(0, 24).toString('hex') },
        { $text: longText.slice(0, 1_000), length: 1_500 },
        2,
      ],
      [5, '50% off_sale', null, 3, false, null, '', -5],
    ]);
  });

  it('reads a one-part path as a table in main', async () => {
    expect((await backend.page(['kv'], view(), 0, 10)).rows).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('keeps a column named rowid apart from the real row id', async () => {
    const { rows } = await backend.page(['main', 'shadow'], view(), 0, 2);
    expect(rows).toEqual([
      [`r${shadowRows - 1}`, 1],
      [`r${shadowRows - 2}`, 2],
    ]);
  });

  it('fetches whole cells: long text, blobs as hex, NULL', async () => {
    const v = view();
    expect(await backend.cell(['main', 'people'], v, 3, '<img src=x>')).toEqual({
      column: '<img src=x>',
      type: 'text',
      text: longText,
      byteLength: 1_500,
      truncated: false,
    });
    expect(await backend.cell(['main', 'people'], v, 3, 'photo')).toMatchObject({
      text: photo.toString('hex'),
      byteLength: 100,
      truncated: false,
    });
    expect(await backend.cell(['main', 'people'], v, 0, 'nick')).toMatchObject({ text: null });
    expect(await backend.cell(['main', 'people'], v, 1, 'nick')).toMatchObject({ text: '' });
    expect(await backend.cell(['main', 'people'], v, 0, 'big')).toMatchObject({
      text: '9007199254740993',
    });
    await expect(backend.cell(['main', 'people'], v, 99, 'nick')).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('sorts ascending and descending with NULLs first, ties broken by row id', async () => {
    expect(await ids([], [{ column: 'score', direction: 'asc' }])).toEqual([3, 5, 2, 4, 1]);
    expect(await ids([], [{ column: 'score', direction: 'desc' }])).toEqual([1, 2, 4, 5, 3]);
    expect(
      await ids(
        [],
        [
          { column: 'score', direction: 'desc' },
          { column: 'name', direction: 'desc' },
        ],
      ),
    ).toEqual([1, 4, 2, 5, 3]);
    expect(await ids([], [{ column: '<img src=x>', direction: 'asc' }])).toEqual([2, 5, 1, 3, 4]);
  });

  it('applies every filter operator', async () => {
    expect(await ids([{ column: 'name', op: 'eq', value: 'Ada' }])).toEqual([1]);
    expect(await ids([{ column: 'score', op: 'eq', value: '7.25' }])).toEqual([2, 4]);
    expect(await ids([{ column: 'active', op: 'eq', value: 'true' }])).toEqual([1, 3, 4]);
    expect(await ids([{ column: 'big', op: 'eq', value: '9007199254740993' }])).toEqual([1]);
    expect(await ids([{ column: 'nick', op: 'eq', value: '' }])).toEqual([2]);
    expect(await ids([{ column: 'name', op: 'contains', value: '%' }])).toEqual([5]);
    expect(await ids([{ column: 'name', op: 'contains', value: '_' }])).toEqual([5]);
    expect(await ids([{ column: 'name', op: 'contains', value: 'A' }])).toEqual([1, 2, 5]);
    expect(await ids([{ column: 'name', op: 'contains', value: '京' }])).toEqual([3]);
    expect(await ids([{ column: 'score', op: 'contains', value: '.25' }])).toEqual([2, 4]);
    expect(await ids([{ column: 'score', op: 'range', min: '7.25' }])).toEqual([1, 2, 4]);
    expect(await ids([{ column: 'score', op: 'range', max: '7.25' }])).toEqual([2, 4, 5]);
    expect(await ids([{ column: 'score', op: 'range', min: '5', max: '8' }])).toEqual([2, 4]);
    expect(await ids([{ column: 'nick', op: 'isNull' }])).toEqual([1, 5]);
    expect(await ids([{ column: 'nick', op: 'notNull' }])).toEqual([2, 3, 4]);
    expect(
      await ids([
        { column: 'active', op: 'eq', value: '1' },
        { column: 'nick', op: 'notNull' },
      ]),
    ).toEqual([3, 4]);
    expect(
      await backend.count(['main', 'people'], view([], [{ column: 'nick', op: 'isNull' }])),
    ).toBe(2);
  });

  it('names the column and value of a filter that cannot apply', async () => {
    const bad = backend.page(
      ['main', 'people'],
      view([], [{ column: 'score', op: 'eq', value: 'abc' }]),
      0,
      5,
    );
    await expect(bad).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/“abc”.*“score”/),
    });
    await expect(ids([{ column: 'nope', op: 'isNull' }])).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});

describe('deep pages', () => {
  const sort: SortSpec[] = [
    { column: 'grp', direction: 'desc' },
    { column: 'label', direction: 'asc' },
  ];
  const types = ['integer', 'integer', 'text'] as const;

  it('match a direct read past the direct-read limit, in every page to the end', async () => {
    const expected = direct('SELECT id, grp, label FROM big ORDER BY grp DESC, label ASC, rowid', [
      ...types,
    ]);
    const got: unknown[][] = [];
    for (let offset = 2_000; offset < bigRows; offset += 700) {
      const page = await backend.page(['main', 'big'], view(sort), offset, 700);
      expect(page.offset).toBe(offset);
      got.push(...page.rows);
    }
    expect(got).toEqual(expected.slice(2_000));
    expect(await backend.count(['main', 'big'], view(sort))).toBe(bigRows);
  });

  it('match a direct read with a filter, and for a table with a column named rowid', async () => {
    const filters: Filter[] = [{ column: 'grp', op: 'range', min: '2' }];
    const expected = direct(
      'SELECT id, grp, label FROM big WHERE grp >= 2 ORDER BY grp DESC, label ASC, rowid',
      [...types],
    );
    const page = await backend.page(['main', 'big'], view(sort, filters), 2_500, 300);
    expect(page.rows).toEqual(expected.slice(2_500, 2_800));
    expect(await backend.count(['main', 'big'], view(sort, filters))).toBe(expected.length);

    const shadowExpected = direct('SELECT "rowid", x FROM shadow ORDER BY x DESC, _rowid_', [
      'text',
      'integer',
    ]);
    const shadow = await backend.page(
      ['main', 'shadow'],
      view([{ column: 'x', direction: 'desc' }]),
      2_100,
      50,
    );
    expect(shadow.rows).toEqual(shadowExpected.slice(2_100, 2_150));
  });

  it('see another connection’s writes (data_version drops the caches)', async () => {
    const before = await backend.page(['main', 'big'], view(sort), 3_000, 5);
    expect(await backend.count(['main', 'people'], view())).toBe(5);
    const writer = new Database(file);
    // Sorts before every other row (grp 99 descending first), shifting every deep page by one.
    writer.prepare('INSERT INTO big (grp, label) VALUES (99, ?)').run('first');
    writer.prepare('INSERT INTO people (id, name) VALUES (6, ?)').run('Hedy');
    writer.close();
    expect(await backend.count(['main', 'people'], view())).toBe(6);
    expect(await backend.count(['main', 'big'], view(sort))).toBe(bigRows + 1);
    const after = await backend.page(['main', 'big'], view(sort), 3_001, 5);
    expect(after.rows).toEqual(before.rows);
    const expected = direct('SELECT id, grp, label FROM big ORDER BY grp DESC, label ASC, rowid', [
      ...types,
    ]);
    expect((await backend.page(['main', 'big'], view(sort), 2_500, 100)).rows).toEqual(
      expected.slice(2_500, 2_600),
    );
  });
});

describe('threads', () => {
  it('run a big sort off the main thread', async () => {
    let ticks = 0;
    let last = performance.now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    try {
      const page = await backend.page(
        ['main', 'heavy'],
        view([{ column: 't', direction: 'desc' }]),
        10_000,
        5,
      );
      expect(page.rows).toHaveLength(5);
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    // The sort takes a while, and the event loop kept ticking all along. Bounds are relative to
    // the sort's duration, so a busy machine slows both rather than failing the test; a sort on
    // this thread would show as one gap as long as the whole call.
    expect(elapsed).toBeGreaterThan(100);
    expect(longestGap).toBeLessThan(elapsed / 3);
    expect(ticks).toBeGreaterThan(elapsed / 50);
  });
});
