/**
 * The nasty-CSV corpus and the round-trip property in every SQL store Strata writes: SQLite,
 * PostgreSQL, MariaDB (the last two on POSTGRES_URL / MYSQL_URL or servers on this machine,
 * skipped loudly otherwise). Each entry of expected.json must give the same outcome as in the
 * collecting store — the same error or counts — and what loads must read back equal; what is
 * rejected, refused or cancelled must leave no table behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '../../../shared/model.js';
import { runIngest } from '../../../electron/ingest/run-ingest.js';
import { sniffFile } from '../../../electron/ingest/sniff.js';
import { canonicalRows } from '../writers/fixture.js';
import {
  mysqlSetup,
  postgresSetup,
  sqliteSetup,
  type StoreSetup,
  type WriterStore,
} from '../writers/stores.js';
import { expectations, fixtureFile } from './fixtures.js';
import { expectError, planFrom } from './support.js';
import { expected as expectedRows, tables, writeCsv } from './tables.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'strata-ingest-stores-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const setups = await Promise.all([sqliteSetup(), postgresSetup(), mysqlSetup()]);
const sorted = (rows: Array<Array<string | null>>) => rows.map((r) => JSON.stringify(r)).sort();

for (const setup of setups) runCorpus(setup);

function runCorpus(setup: StoreSetup): void {
  if (setup.skip) console.warn(`⚠ SKIPPED the ingest corpus in ${setup.kind}: ${setup.skip}`);
  describe.skipIf(setup.skip !== undefined)(`the nasty-CSV corpus, into ${setup.kind}`, () => {
    let store: WriterStore;
    beforeAll(async () => {
      store = await setup.open();
    });
    afterAll(async () => store?.teardown());

    expectations().forEach(([name, expected], n) => {
      it(name, async () => {
        const table = `corpus_${n}`;
        const file = fixtureFile(name, expected, tmp);
        const signal = new AbortController().signal;
        const sniff = await sniffFile({ path: file, ...expected.sniffWith }).catch(() => undefined);
        if (!sniff) {
          expect(expected.error).toBeDefined();
          return; // refused by the sniff, before any store is involved (corpus.test.ts checks)
        }
        const plan = planFrom(sniff, {
          ...expected.plan,
          ...(expected.rejects ? { rejectsPath: path.join(tmp, `${setup.kind}-${n}.csv`) } : {}),
          target: { connectionId: 'test', path: store.path(table) },
        });
        const run = runIngest(plan, store.backend, { signal, onProgress: () => undefined });
        if (expected.error) {
          await expectError(run, expected.error);
          expect(await store.tableNames()).not.toContain(table);
          return;
        }
        const { summary } = await run;
        if (expected.result) expect(summary).toMatchObject(expected.result);
        if (summary.outcome !== 'loaded') {
          expect(await store.tableNames()).not.toContain(table);
          return;
        }
        const schema = await store.backend.describe(store.path(table));
        const kept = plan.columns.filter((c) => !c.skip);
        expect(schema.columns.map((c) => c.name)).toEqual(kept.map((c) => c.name));
        const columns: Column[] = kept.map((c) => ({
          name: c.name,
          type: c.type,
          nativeType: '',
          nullable: true,
        }));
        const page = await store.backend.page(
          store.path(table),
          { sort: [], filters: [] },
          0,
          5_000,
        );
        expect(page.rows).toHaveLength(summary.rowsLoaded);
        if (expected.rows) {
          const written = expected.rows.map((r) =>
            r.map((v) =>
              v && typeof v === 'object' && '$bigint' in v
                ? BigInt((v as { $bigint: string }).$bigint)
                : v,
            ),
          );
          expect(sorted(canonicalRows(page.rows, columns, setup.kind))).toEqual(
            sorted(canonicalRows(written, columns, setup.kind)),
          );
        }
        for (const [row, length] of expected.fieldLengths ?? []) {
          const cell = await store.backend.cell(
            store.path(table),
            { sort: [], filters: [] },
            row - 1,
            kept[1]!.name,
          );
          expect(cell.byteLength).toBe(length);
        }
      });
    });

    it('reads back any table written as CSV and ingested (property)', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(tables, async (table) => {
          const name = `roundtrip_${n++}`;
          const plan = writeCsv(
            table,
            path.join(tmp, `${setup.kind}-${name}.csv`),
            store.path(name),
          );
          const signal = new AbortController().signal;
          const { summary } = await runIngest(plan, store.backend, {
            signal,
            onProgress: () => undefined,
          });
          expect(summary.rowsLoaded).toBe(table.rows.length);
          const columns: Column[] = plan.columns.map((c) => ({
            name: c.name,
            type: c.type,
            nativeType: '',
            nullable: true,
          }));
          const page = await store.backend.page(
            store.path(name),
            { sort: [], filters: [] },
            0,
            1_000,
          );
          expect(sorted(canonicalRows(page.rows, columns, setup.kind))).toEqual(
            sorted(canonicalRows(expectedRows(table), columns, setup.kind)),
          );
        }),
        { numRuns: 8 },
      );
    }, 240_000);
  });
}
