/**
 * What every non-SQL writer must do, run against each store (files/s3/redis/mongodb.test.ts):
 * create, append and replace round trips of every type, read back through the store's own reader
 * (the grid's backend) equal to the input; the target unchanged after an abort (whether or not it
 * existed), after a cancel mid-stream and after a row refused mid-stream; create refused when the
 * target exists, append and replace when it does not; nothing private left behind; and a volume
 * of rows read back equal. The rows and the comparison are the SQL writer suite's (fixture.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { Column, DatasetPath } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import type { DatasetWriter, WriteTarget, WriteValue } from '../../../electron/backends/writer.js';
import {
  allTypeRows as fixtureRows,
  allTypes as fixtureTypes,
  canonicalRows,
  col,
  volumeColumns,
  volumeRows,
} from '../writers/fixture.js';
import type { NonSqlSetup, NonSqlStore } from './stores.js';

const byId = { sort: [{ column: 'id', direction: 'asc' as const }], filters: [] };

/** Every row of the dataset, sorted by id, its columns in the order of `columns` (by name). */
export async function readBack(
  backend: Backend,
  path: DatasetPath,
  columns: readonly Column[],
): Promise<unknown[][]> {
  const described = await backend.describe(path);
  const at = columns.map((c) => described.columns.findIndex((d) => d.name === c.name));
  const rows: unknown[][] = [];
  for (;;) {
    const page = await backend.page(path, byId, rows.length, 5_000);
    rows.push(...page.rows.map((row) => at.map((i) => (i < 0 ? undefined : row[i]))));
    if (page.rows.length < 5_000) return rows;
  }
}

export async function write(
  writer: DatasetWriter,
  target: WriteTarget,
  rows: WriteValue[][],
  batch = 1_000,
): Promise<number> {
  const session = await writer.begin(target);
  for (let at = 0; at < rows.length; at += batch) await session.write(rows.slice(at, at + batch));
  return (await session.commit()).rowsWritten;
}

export function fixtureTarget(
  path: DatasetPath,
  mode: WriteTarget['mode'],
  columns: Column[] = fixtureTypes,
  extra: Partial<WriteTarget> = {},
): WriteTarget {
  return { path, mode, columns, key: ['id'], partitionBy: [], ...extra };
}

export async function expectError(
  work: Promise<unknown>,
  code: AppError['code'],
): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/**
 * Values as the comparison sees them. Redis has no types: bytes that happen to be UTF-8 read
 * back as text, so a blob column's text is turned back into its bytes before comparing.
 */
export function comparable(rows: readonly unknown[][], columns: readonly Column[]): unknown[][] {
  return rows.map((row) =>
    row.map((v, i) => (columns[i]!.type === 'blob' && typeof v === 'string' ? Buffer.from(v) : v)),
  );
}

export const target = fixtureTarget;

export function runNonSqlWriterSuite(setup: NonSqlSetup): void {
  let store: NonSqlStore;
  let writer: DatasetWriter;
  // MongoDB nests a JSON object into fields of its own, which read back as columns of their own:
  // there the fixture's json column is left out (its own tests cover nesting).
  const allTypes = setup.nestsJson ? fixtureTypes.filter((c) => c.type !== 'json') : fixtureTypes;
  const kept = allTypes.map((c) => fixtureTypes.indexOf(c));
  const allTypeRows = fixtureRows.map((row) => kept.map((i) => row[i]!));
  const target = (
    path: DatasetPath,
    mode: WriteTarget['mode'],
    columns: Column[] = allTypes,
    extra: Partial<WriteTarget> = {},
  ) => fixtureTarget(path, mode, columns, extra);
  // The fixture's comparison knows decimals as exact text, or as SQLite's doubles.
  const kind = setup.decimals === 'exact' ? 'postgres' : 'sqlite';
  const canonical = (rows: readonly unknown[][], columns: readonly Column[]) => {
    const text = canonicalRows(rows, columns, kind);
    if (!setup.timestampMillis) return text;
    // Stores that keep milliseconds (MongoDB's dates) drop finer digits.
    const at = columns.flatMap((c, i) => (c.type === 'timestamp' ? [i] : []));
    for (const row of text)
      for (const i of at) row[i] = row[i]?.replace(/(\.\d{3})\d+$/, '$1') ?? null;
    return text;
  };
  const expected = (rows: readonly WriteValue[][], columns = allTypes) => canonical(rows, columns);
  const stored = async (name: string, columns = allTypes) =>
    canonical(
      comparable(await readBack(store.backend, store.path(name), columns), columns),
      columns,
    );
  const noLeftovers = async () => expect(await store.leftovers()).toEqual([]);

  if (setup.skip) console.warn(`⚠ SKIPPED ${setup.kind} writer tests: ${setup.skip}`);
  describe('Non-SQL writer', () => {
    describe.skipIf(setup.skip !== undefined)(setup.kind, () => {
      beforeAll(async () => {
        store = await setup.open();
        writer = store.backend.writer!;
      });
      afterAll(async () => store?.teardown());

      it('creates a dataset holding every type, NULL apart from the empty string', async () => {
        expect(
          await write(writer, target(store.path('every_type'), 'create'), allTypeRows, 2),
        ).toBe(allTypeRows.length);
        expect(await stored('every_type')).toEqual(expected(allTypeRows));
        await noLeftovers();
      });

      it('appends, and replaces with the same columns or new ones', async () => {
        const path = store.path('grows');
        await write(writer, target(path, 'create'), allTypeRows.slice(0, 2));
        expect(await write(writer, target(path, 'append'), allTypeRows.slice(2))).toBe(3);
        expect(await stored('grows')).toEqual(expected(allTypeRows));
        const again = allTypeRows.slice(3).map((r) => [Number(r[0]) + 100, ...r.slice(1)]);
        expect(await write(writer, target(path, 'replace'), again)).toBe(2);
        expect(await stored('grows')).toEqual(expected(again));
        const narrow = [col('id', 'integer', false), col('label', 'text')];
        const rows: WriteValue[][] = [
          [7, 'seven'],
          [8, 'eight'],
        ];
        await write(writer, target(path, 'replace', narrow), rows);
        expect(await stored('grows', narrow)).toEqual(expected(rows, narrow));
        await noLeftovers();
      });

      it('refuses create over an existing dataset, append and replace of a missing one', async () => {
        const path = store.path('fixed');
        await write(writer, target(path, 'create'), allTypeRows.slice(0, 1));
        await expectError(writer.begin(target(path, 'create')), 'invalid-input');
        await expectError(writer.begin(target(store.path('absent'), 'append')), 'not-found');
        await expectError(writer.begin(target(store.path('absent'), 'replace')), 'not-found');
        expect(await stored('fixed')).toEqual(expected(allTypeRows.slice(0, 1)));
      });

      for (const mode of ['create', 'append', 'replace'] as const) {
        it(`abort leaves the target as it was (${mode})`, async () => {
          const name = `aborted_${mode}`;
          const path = store.path(name);
          if (mode !== 'create')
            await write(writer, target(path, 'create'), allTypeRows.slice(0, 2));
          const session = await writer.begin(target(path, mode));
          await session.write(allTypeRows.slice(2));
          await session.write(
            volumeRows(1_000, 3_000).map((r) => [r[0]!, ...allTypeRows[1]!.slice(1)]),
          );
          await session.abort();
          await session.abort(); // twice is fine
          if (mode === 'create') {
            await expectError(store.backend.describe(path), 'not-found');
          } else {
            expect(await stored(name)).toEqual(expected(allTypeRows.slice(0, 2)));
          }
          await noLeftovers();
        });
      }

      it('a cancel mid-stream stops the write and leaves the target as it was', async () => {
        const path = store.path('cancelled');
        await write(writer, target(path, 'create', volumeColumns), volumeRows(0, 10));
        const controller = new AbortController();
        const session = await writer.begin(target(path, 'replace', volumeColumns), {
          signal: controller.signal,
        });
        await session.write(volumeRows(10, 5_000));
        controller.abort();
        await expectError(session.write(volumeRows(5_010, 10)), 'cancelled');
        await expectError(session.commit(), 'cancelled');
        await session.abort();
        expect(await store.backend.count(path, byId)).toBe(10);
        await noLeftovers();
      });

      it('a row refused mid-stream fails the write, and nothing is written', async () => {
        const path = store.path('refused');
        await write(writer, target(path, 'create', volumeColumns), volumeRows(0, 10));
        const session = await writer.begin(target(path, 'append', volumeColumns));
        const failed = (async () => {
          await session.write(volumeRows(100, 2_000));
          await session.write([[1, 'too short']]);
          return session.commit();
        })();
        await expectError(failed, 'invalid-input');
        await session.abort();
        expect(await store.backend.count(path, byId)).toBe(10);
        await noLeftovers();
      });

      it('writes 50,000 rows that read back equal to their source', async () => {
        const rows = volumeRows(1, 50_000);
        expect(
          await write(writer, target(store.path('volume'), 'create', volumeColumns), rows, 5_000),
        ).toBe(50_000);
        expect(await stored('volume', volumeColumns)).toEqual(expected(rows, volumeColumns));
        await noLeftovers();
      });
    });
  });
}
