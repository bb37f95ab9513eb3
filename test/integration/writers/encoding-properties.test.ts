/**
 * Property test of the value encodings (SQLite bindings, PostgreSQL's COPY text format,
 * MariaDB's LOAD DATA format): random rows — text full of separators, escapes and unicode,
 * arbitrary bytes, 64-bit integers, doubles, decimals, booleans, dates, timestamps with and
 * without offsets, NULLs — are written through the writer and read back with the driver, and
 * must come back equal (canonical forms from fixture.ts; blobs compared byte for byte).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '../../../shared/model.js';
import type { WriteValue } from '../../../electron/backends/writer.js';
import { canonical, col, target } from './fixture.js';
import {
  mysqlSetup,
  postgresSetup,
  sqliteSetup,
  type StoreKind,
  type StoreSetup,
  type WriterStore,
} from './stores.js';
import { write } from './writer-suite.js';

const columns: Column[] = [
  col('id', 'integer', false),
  col('t', 'text'),
  col('b', 'blob'),
  col('n', 'bigint'),
  col('f', 'float'),
  col('d', 'decimal'),
  col('flag', 'boolean'),
  col('ts', 'timestamp'),
  col('day', 'date'),
];

/** How each store is read back exactly: dates and numbers as the server's text. */
const selects: Record<StoreKind, (table: string) => string> = {
  sqlite: (t) => `SELECT * FROM "${t}" ORDER BY id`,
  postgres: (t) =>
    `SELECT id, t, b, n::text, f, d::text, flag, ts::text, day::text FROM "${t}" ORDER BY id`,
  mysql: (t) => `SELECT * FROM \`${t}\` ORDER BY id`,
};

function rowsArbitrary(kind: StoreKind): fc.Arbitrary<WriteValue[][]> {
  const special = ['\\', '\t', '\n', '\r', '"', "'", ',', 'N', '\\N', ' ', '|'];
  // PostgreSQL text cannot hold NUL (the writer refuses it); the others store it.
  if (kind !== 'postgres') special.push('\0');
  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom(...special),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 24,
  });
  const decimal = fc
    .tuple(
      fc.boolean(),
      fc.bigInt({ min: 0n, max: 10n ** 20n }),
      fc.integer({ min: 0, max: 9_999_999_999 }),
      fc.integer({ min: 0, max: 10 }),
    )
    .map(([negative, int, fraction, digits]) => {
      const tail = digits === 0 ? '' : `.${String(fraction).padStart(10, '0').slice(0, digits)}`;
      return `${negative ? '-' : ''}${int}${tail}`;
    });
  const instant = fc.date({
    min: new Date('1001-01-01T00:00:00Z'),
    max: new Date('9998-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const timestamp = fc
    .tuple(instant, fc.constantFrom('', 'Z', '+05:30', '-08:00'), fc.integer({ min: 0, max: 999 }))
    .map(
      ([date, zone, micros]) =>
        `${date.toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}${zone}`,
    );
  const row = fc.tuple(
    fc.option(text, { nil: null }),
    fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }),
    fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
    fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
    fc.option(decimal, { nil: null }),
    fc.option(fc.boolean(), { nil: null }),
    fc.option(timestamp, { nil: null }),
    fc.option(
      instant.map((d) => d.toISOString().slice(0, 10)),
      { nil: null },
    ),
  );
  return fc
    .array(row, { minLength: 1, maxLength: 25 })
    .map((rows) => rows.map((r, i) => [i + 1, ...r]));
}

function exact(value: unknown, column: Column, kind: StoreKind): string | null {
  if (column.type === 'blob' && value instanceof Uint8Array)
    return Buffer.from(value).toString('hex');
  return canonical(value, column.type, kind);
}

async function property(setup: StoreSetup): Promise<void> {
  if (setup.skip) console.warn(`⚠ SKIPPED ${setup.kind} encoding properties: ${setup.skip}`);
  describe.skipIf(setup.skip !== undefined)(`${setup.kind} value encoding`, () => {
    let store: WriterStore;
    beforeAll(async () => {
      store = await setup.open();
    });
    afterAll(async () => store?.teardown());

    it('writes random values that read back equal', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(rowsArbitrary(setup.kind), async (rows) => {
          const table = `prop_${run++}`;
          await write(store.backend.writer!, target(store.path(table), 'create', columns), rows, 7);
          const back = await store.rows(selects[setup.kind](table));
          const canon = (r: readonly unknown[]) =>
            r.map((v, i) => exact(v, columns[i]!, setup.kind));
          expect(back.map(canon)).toEqual(rows.map(canon));
        }),
        {
          numRuns: setup.kind === 'sqlite' ? 15 : 40,
          // Doubles whose 16-17 digit text mysql2 once read one unit in the last place off.
          examples: [
            [
              [
                [1, null, null, null, 910.8663350923903, null, null, null, null],
                [2, null, null, null, 967633697378085.9, null, null, null, null],
              ],
            ],
          ],
        },
      );
    });
  });
}

await property(await sqliteSetup());
await property(await postgresSetup());
await property(await mysqlSetup());
