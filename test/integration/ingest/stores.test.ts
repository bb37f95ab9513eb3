/**
 * The nasty-CSV corpus and the round-trip property in every store Strata writes: SQLite,
 * PostgreSQL and MariaDB (on POSTGRES_URL / MYSQL_URL or servers on this machine), a folder,
 * an S3 bucket (s3rver), MongoDB and Redis (keyed by the file's first column, as each hash is
 * named by a key) — each skipped loudly when its server is missing or its backend has no writer
 * yet. Each entry of expected.json must give the same outcome as in
 * the collecting store — the same error or counts — and what loads must read back equal (in the
 * writer suites' canonical form); what is rejected, refused or cancelled must leave nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column, DatasetPath } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { runIngest } from '../../../electron/ingest/run-ingest.js';
import { sniffFile } from '../../../electron/ingest/sniff.js';
import {
  filesSetup,
  mongoSetup,
  redisSetup,
  s3Setup,
  type NonSqlSetup,
} from '../writers-nonsql/stores.js';
import { canonicalRows } from '../writers/fixture.js';
import { comparable } from '../writers-nonsql/suite.js';
import { mysqlSetup, postgresSetup, sqliteSetup, type StoreSetup } from '../writers/stores.js';
import { expectations, fixtureFile } from './fixtures.js';
import { expectError, planFrom } from './support.js';
import { expected as expectedRows, tables, withRowKey, writeCsv } from './tables.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'strata-ingest-stores-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One shape over the SQL and non-SQL test stores. */
interface Store {
  backend: Backend;
  path(name: string): DatasetPath;
  /** What a write keeps private while it runs, or left behind. */
  leftovers(): Promise<string[]>;
  teardown(): Promise<void>;
}
interface Setup {
  kind: string;
  skip: string | undefined;
  /** The store names each row by a key (Redis): files load keyed by their first column. */
  keyed?: boolean;
  /** How the writer suites' canonical form compares decimals. */
  canonical: 'sqlite' | 'postgres' | 'mysql';
  open(): Promise<Store>;
}

const fromSql = (setup: StoreSetup): Setup => ({
  kind: setup.kind,
  skip: setup.skip,
  canonical: setup.kind,
  open: async () => {
    const store = await setup.open();
    const leftovers = async () =>
      (await store.tableNames()).filter((n) => n.startsWith('_strata_'));
    return { ...store, leftovers };
  },
});
const fromNonSql = (setup: NonSqlSetup): Setup => ({
  kind: setup.kind,
  skip: setup.skip,
  canonical: setup.decimals === 'exact' ? 'postgres' : 'sqlite',
  open: () => setup.open(),
});

const setups: Setup[] = [
  ...(await Promise.all([sqliteSetup(), postgresSetup(), mysqlSetup()])).map(fromSql),
  ...[filesSetup(), s3Setup(), await mongoSetup()].map(fromNonSql),
  // Redis names each hash by a key column: every corpus file's first column tells its rows
  // apart (an id), and the random tables get a row number in front.
  { ...fromNonSql(await redisSetup()), keyed: true },
];
const sorted = (rows: Array<Array<string | null>>) => rows.map((r) => JSON.stringify(r)).sort();
const exists = (store: Store, name: string) =>
  store.backend.describe(store.path(name)).then(
    () => true,
    () => false,
  );

/**
 * The first rows of a table, each as the values of `columns` by name: a store may show columns
 * of its own (Redis's key), in its own order, and leave out a column no row has a value in (a
 * Redis hash holds no field for NULL).
 */
async function pageByName(
  store: Store,
  table: string,
  columns: readonly Column[],
  names: readonly string[],
): Promise<{ rows: unknown[][] }> {
  const page = await store.backend.page(store.path(table), { sort: [], filters: [] }, 0, 5_000);
  const at = columns.map((c) => names.indexOf(c.name));
  return { rows: page.rows.map((row) => at.map((i) => (i < 0 ? null : row[i]))) };
}

for (const setup of setups) runCorpus(setup);

function runCorpus(setup: Setup): void {
  if (setup.skip) console.warn(`⚠ SKIPPED the ingest corpus in ${setup.kind}: ${setup.skip}`);
  describe.skipIf(setup.skip !== undefined)(`the nasty-CSV corpus, into ${setup.kind}`, () => {
    let store: Store;
    let writable = false;
    beforeAll(async () => {
      store = await setup.open();
      writable = store.backend.writer !== undefined;
      if (!writable) console.warn(`⚠ SKIPPED the ingest corpus in ${setup.kind}: no writer yet`);
    });
    afterAll(async () => store?.teardown());

    expectations().forEach(([name, expected], n) => {
      it(name, async (context) => {
        if (!writable) return context.skip();
        const table = `corpus_${n}`;
        const file = fixtureFile(name, expected, tmp);
        const signal = new AbortController().signal;
        const sniff = await sniffFile({ path: file, ...expected.sniffWith }).catch(() => undefined);
        if (!sniff) {
          expect(expected.error).toBeDefined();
          return; // refused by the sniff, before any store is involved (corpus.test.ts checks)
        }
        const plan = planFrom(sniff, {
          ...(setup.keyed ? { key: [sniff.columns[0]!.name] } : {}),
          ...expected.plan,
          ...(expected.rejects ? { rejectsPath: path.join(tmp, `${setup.kind}-${n}.csv`) } : {}),
          target: { connectionId: 'test', path: store.path(table) },
        });
        const run = runIngest(plan, store.backend, { signal, onProgress: () => undefined });
        if (expected.error) {
          await expectError(run, expected.error);
          expect(await exists(store, table)).toBe(false);
          expect(await store.leftovers()).toEqual([]);
          return;
        }
        const { summary } = await run;
        if (expected.result) expect(summary).toMatchObject(expected.result);
        if (summary.outcome !== 'loaded') {
          expect(await exists(store, table)).toBe(false);
          expect(await store.leftovers()).toEqual([]);
          return;
        }
        const kept = plan.columns.filter((c) => !c.skip);
        if (setup.keyed && summary.rowsLoaded === 0) {
          // Redis keeps no trace of a table of no hashes: nothing to read back, nothing left.
          expect(await exists(store, table)).toBe(false);
          expect(await store.leftovers()).toEqual([]);
          return;
        }
        const schema = await store.backend.describe(store.path(table));
        const names = schema.columns.map((c) => c.name);
        if (setup.keyed) {
          // Redis shows each hash's key first, and only fields some hash holds.
          expect(names[0]).toBe('key');
          expect(kept.map((c) => c.name)).toEqual(expect.arrayContaining(names.slice(1)));
        } else expect(names).toEqual(kept.map((c) => c.name));
        const columns: Column[] = kept.map((c) => ({
          name: c.name,
          type: c.type,
          nativeType: '',
          nullable: true,
        }));
        const page = await pageByName(store, table, columns, names);
        expect(page.rows).toHaveLength(summary.rowsLoaded);
        if (expected.rows) {
          const written = expected.rows.map((r) =>
            r.map((v) =>
              v && typeof v === 'object' && '$bigint' in v
                ? BigInt((v as { $bigint: string }).$bigint)
                : v,
            ),
          );
          expect(sorted(canonicalRows(page.rows, columns, setup.canonical))).toEqual(
            sorted(canonicalRows(written, columns, setup.canonical)),
          );
        }
        for (const [row, length] of expected.fieldLengths ?? []) {
          const cell = await store.backend.cell(
            store.path(table),
            // By its first column (id): not every store keeps rows in the order written.
            { sort: [{ column: kept[0]!.name, direction: 'asc' }], filters: [] },
            row - 1,
            kept[1]!.name,
          );
          expect(cell.byteLength).toBe(length);
        }
      });
    });

    it('reads back any table written as CSV and ingested (property)', async (context) => {
      if (!writable) return context.skip();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(tables, async (table) => {
          const name = `roundtrip_${n++}`;
          const written = setup.keyed ? withRowKey(table) : table;
          const plan = writeCsv(
            written,
            path.join(tmp, `${setup.kind}-${name}.csv`),
            store.path(name),
          );
          if (setup.keyed) plan.key = [plan.columns[0]!.name];
          const signal = new AbortController().signal;
          const { summary } = await runIngest(plan, store.backend, {
            signal,
            onProgress: () => undefined,
          });
          expect(summary.rowsLoaded).toBe(written.rows.length);
          const columns: Column[] = plan.columns.map((c) => ({
            name: c.name,
            type: c.type,
            nativeType: '',
            nullable: true,
          }));
          if (setup.keyed && written.rows.length === 0) {
            expect(await exists(store, name)).toBe(false); // no hashes, no table (see above)
            return;
          }
          const view = { sort: [], filters: [] };
          const described = await store.backend.describe(store.path(name));
          const page = await pageByName(
            store,
            name,
            columns,
            described.columns.map((c) => c.name),
          );
          // A page shows long text cut short ({$text}: a JSON number of 300 digits is long):
          // the whole value is read back through `cell`, as the value viewer does.
          const rows = await Promise.all(
            page.rows.map((row, r) =>
              Promise.all(
                row.map(async (value, c) =>
                  value && typeof value === 'object' && '$text' in value
                    ? (await store.backend.cell(store.path(name), view, r, columns[c]!.name)).text
                    : value,
                ),
              ),
            ),
          );
          // Redis has no types: a blob column's bytes read back as their text.
          const stored = setup.keyed ? comparable(rows, columns) : rows;
          expect(sorted(canonicalRows(stored, columns, setup.canonical))).toEqual(
            sorted(canonicalRows(expectedRows(written), columns, setup.canonical)),
          );
        }),
        {
          numRuns: 8,
          seed: Number(process.env.ROUNDTRIP_SEED ?? Date.now()) | 0,
          endOnFailure: true,
        },
      );
    }, 240_000);

    // Rows reach PostgreSQL and MariaDB already encoded by the ingest worker (row-encoding.ts), in
    // transferred buffers the main thread only forwards: a cancel mid-stream still ends the load,
    // and the target and its staging are gone.
    it.runIf(setup.kind === 'postgres' || setup.kind === 'mysql')(
      'cancelled mid-stream, leaves no table and nothing staged',
      async () => {
        const file = path.join(tmp, `${setup.kind}-cancel.csv`);
        const lines = ['id,text'];
        for (let i = 0; i < 300_000; i++) lines.push(`${i},"row ${i}, with a comma"`);
        writeFileSync(file, `${lines.join('\n')}\n`);
        const plan = planFrom(await sniffFile({ path: file }), {
          target: { connectionId: 'test', path: store.path('cancelled') },
        });
        const cancel = new AbortController();
        const run = runIngest(plan, store.backend, {
          signal: cancel.signal,
          onProgress: (progress) => {
            if (progress.rowsRead > 0) cancel.abort();
          },
        });
        await expectError(run, { code: 'cancelled', message: 'Cancelled' });
        expect(await exists(store, 'cancelled')).toBe(false);
        expect(await store.leftovers()).toEqual([]);
      },
    );

    // Rows reach PostgreSQL already encoded by the ingest worker (row-encoding.ts): a value COPY
    // cannot carry is refused there, by line and column, and nothing is left.
    it.runIf(setup.kind === 'postgres')(
      'refuses a NUL in text, which PostgreSQL cannot hold, naming its line',
      async () => {
        const file = path.join(tmp, 'nul.csv');
        writeFileSync(file, 'id,name\n1,fine\n2,a\0b\n3,fine\n');
        const sniff = await sniffFile({ path: file });
        const plan = planFrom(sniff, { target: { connectionId: 'test', path: store.path('nul') } });
        const run = runIngest(plan, store.backend, {
          signal: new AbortController().signal,
          onProgress: () => undefined,
        });
        await expect(run).rejects.toThrow(`${file}, line 3: Column “name”: “a\0b” contains a NUL`);
        expect(await exists(store, 'nul')).toBe(false);
        expect(await store.leftovers()).toEqual([]);
      },
    );
  });
}
