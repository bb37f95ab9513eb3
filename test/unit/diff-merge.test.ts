/**
 * The diff's core without any store: planning (key, schema diff, compare modes), the keyed
 * merge-join, the multiset merge, tolerance and ignored columns, the external sort, and SQL
 * export statements that, run on SQLite, turn A into B — checked on hand-made cases and, with
 * fast-check, on random tables with random edits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column, LogicalType } from '../../shared/model.js';
import type { DiffSummary } from '../../shared/diff.js';
import type { RowBatches, RowValue } from '../../electron/backends/scan.js';
import type { StoredChange } from '../../electron/diff/change-store.js';
import { sortRows } from '../../electron/diff/external-sort.js';
import { mergeKeyed, mergeMultiset } from '../../electron/diff/merge.js';
import { planDiff, type SideShape } from '../../electron/diff/plan.js';
import { sqlStatement } from '../../electron/diff/sql-statements.js';
import { compareKeys } from '../../electron/backends/scan.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'strata-diff-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const col = (name: string, type: LogicalType = 'integer'): Column => ({
  name,
  type,
  nativeType: type.toUpperCase(),
  nullable: true,
});

async function* batches(rows: RowValue[][], size = 3): RowBatches {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function run(
  a: SideShape & { rows: RowValue[][] },
  b: SideShape & { rows: RowValue[][] },
  options: Parameters<typeof planDiff>[2] = { ignoreColumns: [] },
) {
  const plan = planDiff(a, b, options);
  const changes: StoredChange[] = [];
  const sink = (change: Omit<StoredChange, 'index'>) =>
    changes.push({ ...change, index: changes.length });
  const merge = plan.keyed ? mergeKeyed : mergeMultiset;
  const signal = new AbortController().signal;
  const result = await merge(batches(a.rows), batches(b.rows), plan.merge, sink, { signal });
  return { plan, changes, ...result };
}

describe('keyed diff', () => {
  const columns = [col('id'), col('name', 'text'), col('amount', 'float')];
  it('finds added, removed and changed rows with the changed cells', async () => {
    const { changes, counts, changedCells, plan } = await run(
      {
        columns,
        key: ['id'],
        rows: [
          [1, 'a', 1.5],
          [2, 'b', 2],
          [4, 'd', 4],
        ],
      },
      {
        columns,
        key: ['id'],
        rows: [
          [1, 'a', 1.5],
          [3, 'c', 3],
          [4, 'D', 4n],
        ],
      },
    );
    expect(plan.keyed).toBe(true);
    expect(counts).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1 });
    expect(changes.map((c) => [c.kind, c.key])).toEqual([
      ['removed', [2]],
      ['added', [3]],
      ['changed', [4]],
    ]);
    // 4 and 4n are one value: only the name changed.
    expect(changes[2]!.changed).toEqual([1]);
    expect(changedCells).toEqual([0, 1, 0]);
  });

  it('applies absolute and relative tolerance and ignores columns', async () => {
    const a = {
      columns,
      key: ['id'],
      rows: [
        [1, 'a', 100],
        [2, 'b', 1.0],
      ] as RowValue[][],
    };
    const b = {
      columns,
      key: ['id'],
      rows: [
        [1, 'A', 100.5],
        [2, 'b', 1.0001],
      ] as RowValue[][],
    };
    expect((await run(a, b)).counts.changed).toBe(2);
    const tolerant = await run(a, b, { ignoreColumns: ['name'], tolerance: { relative: 0.01 } });
    expect(tolerant.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 2 });
    const absolute = await run(a, b, { ignoreColumns: ['name'], tolerance: { absolute: 0.1 } });
    expect(absolute.changes.map((c) => c.key)).toEqual([[1]]);
  });

  it('reports integer → text as a schema change and compares the cells by value', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => [i, i * 10] as RowValue[]);
    const { plan, counts, changes } = await run(
      { columns: [col('id'), col('v')], key: ['id'], rows },
      {
        columns: [col('id'), col('v', 'text')],
        key: ['id'],
        rows: rows.map(([id, v]): RowValue[] => [id ?? null, id === 5 ? 'x' : String(v)]),
      },
    );
    expect(plan.schema.retyped).toMatchObject([
      { name: 'v', old: { type: 'integer' }, new: { type: 'text' } },
    ]);
    expect(plan.schema.equal).toBe(false);
    expect(counts.changed).toBe(1);
    expect(changes[0]!.key).toEqual([5]);
  });

  it('diffs the schema: added, removed, reordered columns and the key', () => {
    const { schema, columns: union } = planDiff(
      { columns: [col('id'), col('a'), col('b'), col('gone')], key: ['id'] },
      { columns: [col('ID'), col('b'), col('a'), col('new', 'text')], key: [] },
      { ignoreColumns: [] },
    );
    expect(schema.added.map((c) => c.name)).toEqual(['new']);
    expect(schema.removed.map((c) => c.name)).toEqual(['gone']);
    expect(schema.reordered).toEqual({ old: ['id', 'a', 'b'], new: ['id', 'b', 'a'] });
    expect(schema.keyChanged).toEqual({ old: ['id'], new: [] });
    expect(union.map((c) => [c.name, c.inA, c.inB])).toEqual([
      ['id', true, true],
      ['a', true, true],
      ['b', true, true],
      ['gone', true, false],
      ['new', false, true],
    ]);
  });

  it('refuses rows out of key order rather than reporting nonsense', async () => {
    await expect(
      run(
        {
          columns,
          key: ['id'],
          rows: [
            [2, 'b', 1],
            [1, 'a', 1],
          ],
        },
        {
          columns,
          key: ['id'],
          rows: [
            [1, 'a', 1],
            [2, 'b', 1],
          ],
        },
      ),
    ).rejects.toThrow(/out of key order/);
  });
});

describe('multiset diff', () => {
  it('compares whole rows, copy for copy, and says so', async () => {
    const columns = [col('a'), col('b', 'text')];
    const sort = (rows: RowValue[][]) => [...rows].sort(compareKeys);
    const { plan, counts, changes } = await run(
      {
        columns,
        key: [],
        rows: sort([
          [1, 'x'],
          [1, 'x'],
          [2, 'y'],
          [3, 'z'],
        ]),
      },
      {
        columns,
        key: [],
        rows: sort([
          [1, 'x'],
          [2, 'y'],
          [2, 'y'],
          [3, 'Z'],
        ]),
      },
    );
    expect(plan.keyed).toBe(false);
    expect(plan.note).toMatch(/^No key: compared as a multiset of whole rows/);
    expect(counts).toEqual({ added: 2, removed: 2, changed: 0, unchanged: 2 });
    expect(changes.map((c) => [c.kind, c.count, c.old ?? c.new])).toEqual([
      ['removed', 1, [1, 'x']],
      ['added', 1, [2, 'y']],
      ['added', 1, [3, 'Z']],
      ['removed', 1, [3, 'z']],
    ]);
  });
});

describe('external sort', () => {
  it('sorts more rows than a run holds, through files, in compareKeys order', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => [
      (i * 7919) % 5_000,
      i % 3 ? `t${i}` : null,
      i % 11 === 0 ? 2n ** 60n + BigInt(i) : i / 3,
    ]) as RowValue[][];
    const sorted: RowValue[][] = [];
    for await (const batch of sortRows(batches(rows, 700), {
      tmpDir: path.join(tmp, 'sort'),
      columnCount: 3,
      compare: (x, y) => compareKeys(x, y),
      runRows: 600,
      batchRows: 256,
    })) {
      sorted.push(...batch);
    }
    expect(sorted).toEqual([...rows].sort(compareKeys));
  });
});

/** Applies a diff's SQL statements to A (in SQLite) and answers the table's rows after. */
function applySql(
  rowsA: RowValue[][],
  changes: StoredChange[],
  summary: Pick<DiffSummary, 'columns' | 'keyed'>,
) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER, a INTEGER, b TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
  for (const row of rowsA) insert.run(...row);
  for (const change of changes) {
    db.exec(
      sqlStatement(change, summary.columns, summary.keyed, { table: ['t'], dialect: 'sqlite' }),
    );
  }
  const after = db.prepare('SELECT * FROM t ORDER BY id, a, b').raw(true).all() as RowValue[][];
  db.close();
  return after;
}

describe('SQL export', () => {
  const columns = [col('id'), col('a'), col('b', 'text')];
  it('quotes text and turns A into B for a keyed and a multiset diff', async () => {
    const a: RowValue[][] = [
      [1, 1, "it's"],
      [2, 2, null],
      [3, 3, 'x'],
    ];
    const b: RowValue[][] = [
      [1, 1, 'it’s "quoted"'],
      [3, 3, 'x'],
      [4, null, 'new'],
    ];
    const keyed = await run({ columns, key: ['id'], rows: a }, { columns, key: ['id'], rows: b });
    expect(applySql(a, keyed.changes, { columns: keyed.plan.columns, keyed: true })).toEqual(b);
    const multiset = await run({ columns, key: [], rows: a }, { columns, key: [], rows: b });
    expect(applySql(a, multiset.changes, { columns: multiset.plan.columns, keyed: false })).toEqual(
      b,
    );
  });
});

describe('property: the diff applied to A gives B, and its counts are the edits', () => {
  const columns = [col('id'), col('a'), col('b', 'text')];
  const row = (id: number) =>
    fc.tuple(
      fc.constant(id),
      fc.option(fc.integer({ min: -5, max: 5 })),
      fc.option(fc.string({ maxLength: 4 })),
    );
  const table = fc
    .uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 40 })
    .chain((ids) => fc.tuple(...ids.sort((x, y) => x - y).map(row)));
  const edits = fc.record({
    remove: fc.array(fc.nat(), { maxLength: 8 }),
    update: fc.array(fc.tuple(fc.nat(), fc.option(fc.integer({ min: -5, max: 5 }))), {
      maxLength: 8,
    }),
    add: fc.uniqueArray(fc.integer({ min: 201, max: 260 }), { maxLength: 5 }),
  });

  it('for random tables and random edits', async () => {
    await fc.assert(
      fc.asyncProperty(table, edits, async (rowsA, edit) => {
        const a = rowsA.map((r) => [...r]) as RowValue[][];
        const b = new Map(a.map((r) => [r[0] as number, [...r]]));
        const ids = a.map((r) => r[0] as number);
        const removed = new Set(
          edit.remove.filter(() => ids.length > 0).map((i) => ids[i % ids.length]!),
        );
        for (const id of removed) b.delete(id);
        const updated = new Set<number>();
        for (const [i, value] of edit.update) {
          const id = ids[i % Math.max(1, ids.length)];
          const target = id === undefined ? undefined : b.get(id);
          if (!target) continue;
          target[1] = value;
          updated.add(id!);
        }
        const changed = [...updated].filter(
          (id) => a.find((r) => r[0] === id)![1] !== b.get(id)![1],
        );
        for (const id of edit.add) b.set(id, [id, id % 7, `n${id}`]);
        const rowsB = [...b.values()].sort((x, y) => (x[0] as number) - (y[0] as number));
        const diff = await run(
          { columns, key: ['id'], rows: a },
          { columns, key: ['id'], rows: rowsB },
        );
        expect(diff.counts).toEqual({
          added: edit.add.length,
          removed: removed.size,
          changed: changed.length,
          unchanged: a.length - removed.size - changed.length,
        });
        expect(applySql(a, diff.changes, { columns: diff.plan.columns, keyed: true })).toEqual(
          rowsB,
        );
      }),
      { numRuns: 150 },
    );
  });
});
