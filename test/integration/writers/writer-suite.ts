/**
 * What every SQL writer must do, run against each store (sqlite/postgres/mysql.test.ts): round
 * trips of every type in create, append and replace; the target unchanged after abort (whether or
 * not it existed), after a cancel mid-stream and after a row the table refuses; an append whose
 * columns do not fit refused before anything is written; and 200,000 rows read back equal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { DatasetPath } from '../../../shared/model.js';
import type { DatasetWriter, WriteTarget, WriteValue } from '../../../electron/backends/writer.js';
import {
  allTypeRows,
  allTypes,
  canonicalRows,
  col,
  target,
  volumeColumns,
  volumeRows,
} from './fixture.js';
import type { StoreSetup, WriterStore } from './stores.js';

const byId = { sort: [{ column: 'id', direction: 'asc' as const }], filters: [] };

export async function readAll(store: WriterStore, path: DatasetPath): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for (;;) {
    const page = await store.backend.page(path, byId, rows.length, 5_000);
    rows.push(...page.rows);
    if (page.rows.length < 5_000) return rows;
  }
}

export async function write(
  writer: DatasetWriter,
  to: WriteTarget,
  rows: WriteValue[][],
  batch = 1_000,
): Promise<number> {
  const session = await writer.begin(to);
  for (let at = 0; at < rows.length; at += batch) await session.write(rows.slice(at, at + batch));
  return (await session.commit()).rowsWritten;
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

export function runWriterSuite(setup: StoreSetup): void {
  let store: WriterStore;
  let writer: DatasetWriter;
  const kind = setup.kind;
  const expected = (rows: readonly WriteValue[][], columns = allTypes) =>
    canonicalRows(rows, columns, kind);
  const stored = async (name: string, columns = allTypes) =>
    canonicalRows(await readAll(store, store.path(name)), columns, kind);
  const noLeftovers = async () =>
    expect((await store.tableNames()).filter((n) => n.startsWith('_strata_'))).toEqual([]);

  if (setup.skip) console.warn(`⚠ SKIPPED ${kind} writer tests: ${setup.skip}`);
  describe('SQL writer', () => {
    describe.skipIf(setup.skip !== undefined)(kind, () => {
      beforeAll(async () => {
        store = await setup.open();
        writer = store.backend.writer!;
      });
      afterAll(async () => store?.teardown());

      it('creates a table holding every type exactly, NULL apart from the empty string', async () => {
        const path = store.path('every_type');
        expect(await write(writer, target(path, 'create'), allTypeRows, 2)).toBe(
          allTypeRows.length,
        );
        expect(await stored('every_type')).toEqual(expected(allTypeRows));
        const described = await store.backend.describe(path);
        expect(described.key).toEqual(['id']);
        expect(described.columns.map((c) => c.name)).toEqual(allTypes.map((c) => c.name));
        await noLeftovers();
      });

      it('appends, and replaces with the same columns or new ones', async () => {
        const path = store.path('grows');
        await write(writer, target(path, 'create'), allTypeRows.slice(0, 2));
        await write(writer, target(path, 'append'), allTypeRows.slice(2));
        expect(await stored('grows')).toEqual(expected(allTypeRows));
        const again = allTypeRows.slice(3).map((r) => [Number(r[0]) + 100, ...r.slice(1)]);
        expect(await write(writer, target(path, 'replace'), again)).toBe(2);
        expect(await stored('grows')).toEqual(expected(again));
        const narrow = [col('id', 'integer', false), col('label', 'text')];
        await write(writer, target(path, 'replace', narrow), [
          [7, 'seven'],
          [8, null],
        ]);
        expect((await store.backend.describe(path)).columns.map((c) => c.name)).toEqual([
          'id',
          'label',
        ]);
        expect(await stored('grows', narrow)).toEqual([
          ['7', 'seven'],
          ['8', null],
        ]);
        await noLeftovers();
      });

      it('refuses an append whose columns do not fit, before writing anything', async () => {
        const path = store.path('fixed');
        await write(writer, target(path, 'create'), allTypeRows.slice(0, 1));
        const extra = [...allTypes, col('surprise', 'text')];
        await expectError(writer.begin(target(path, 'append', extra)), 'invalid-input');
        const wrongType = allTypes.map((c) => (c.name === 'day' ? col('day', 'blob') : c));
        await expectError(writer.begin(target(path, 'append', wrongType)), 'invalid-input');
        await expectError(writer.begin(target(path, 'create')), 'invalid-input');
        await expectError(writer.begin(target(store.path('absent'), 'append')), 'not-found');
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
            volumeRows(1_000, 500).map((r) => [r[0]!, ...allTypeRows[1]!.slice(1)]),
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
        const session = await writer.begin(target(path, 'append', volumeColumns), {
          signal: controller.signal,
        });
        await session.write(volumeRows(10, 5_000));
        await session.write(volumeRows(5_010, 5_000));
        controller.abort();
        await expectError(session.write(volumeRows(10_010, 10)), 'cancelled');
        await expectError(session.commit(), 'cancelled');
        await session.abort();
        expect(await store.backend.count(path, byId)).toBe(10);
        await noLeftovers();
      });

      it('a row the table refuses (a duplicate key) fails the write, and nothing is written', async () => {
        const path = store.path('refused');
        await write(writer, target(path, 'create', volumeColumns), volumeRows(0, 10));
        const session = await writer.begin(target(path, 'append', volumeColumns));
        const failed = (async () => {
          await session.write(volumeRows(100, 2_000));
          await session.write(volumeRows(5, 1)); // id 5 is already there
          await session.write(volumeRows(3_000, 2_000));
          return session.commit();
        })();
        await expectError(failed, 'invalid-input');
        await session.abort();
        expect(await store.backend.count(path, byId)).toBe(10);
        await noLeftovers();
      });

      it('writes 200,000 rows that read back equal to their source', async () => {
        const path = store.path('volume');
        const rows = volumeRows(1, 200_000);
        expect(await write(writer, target(path, 'create', volumeColumns), rows, 10_000)).toBe(
          200_000,
        );
        expect(await stored('volume', volumeColumns)).toEqual(expected(rows, volumeColumns));
      });
    });
  });
}
