/**
 * PostgreSQL beyond the shared suite: a backend killed mid-load (pg_terminate_backend) leaves
 * the target unchanged; partitioned targets (RANGE by month, LIST by value) are readable through
 * the backend and grow partitions on append; replace keeps a same-shaped table's definition
 * (serial, varchar, indexes) and refuses to drop views that depend on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetWriter } from '../../../electron/backends/writer.js';
import { col, volumeColumns, volumeRows } from './fixture.js';
import { target } from './fixture.js';
import { postgresSetup, type WriterStore } from './stores.js';
import { expectError, readAll, write } from './writer-suite.js';

const setup = await postgresSetup();
if (setup.skip) console.warn(`⚠ SKIPPED PostgreSQL writer extras: ${setup.skip}`);
const byId = { sort: [{ column: 'id', direction: 'asc' as const }], filters: [] };

describe.skipIf(setup.skip !== undefined)('PostgreSQL writer', () => {
  let store: WriterStore;
  let writer: DatasetWriter;
  beforeAll(async () => {
    store = await setup.open();
    writer = store.backend.writer!;
  });
  afterAll(async () => store?.teardown());

  const killWriter = async () => {
    const killed = await store.rows(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'strata writer' AND datname = current_database()`,
    );
    expect(killed.length).toBe(1);
  };

  for (const mode of ['create', 'append'] as const) {
    it(`a backend killed mid-load leaves the target unchanged (${mode})`, async () => {
      const path = store.path(`killed_${mode}`);
      if (mode === 'append') {
        await write(writer, target(path, 'create', volumeColumns), volumeRows(0, 100));
      }
      const session = await writer.begin(target(path, mode, volumeColumns));
      await session.write(volumeRows(1_000, 20_000));
      await killWriter();
      const failed = (async () => {
        for (let i = 0; i < 50; i++) await session.write(volumeRows(100_000 + i * 1_000, 1_000));
        return session.commit();
      })();
      await expectError(failed, 'unavailable');
      await session.abort();
      if (mode === 'create') await expectError(store.backend.describe(path), 'not-found');
      else expect(await store.backend.count(path, byId)).toBe(100);
    });
  }

  it('partitions by month and by value, readable through the backend, growing on append', async () => {
    const columns = [col('id', 'integer', false), col('region', 'text'), col('day', 'date')];
    const row = (id: number, region: string | null, day: string | null) => [id, region, day];
    const byMonth = store.path('sales_by_month');
    const rows = [row(1, 'north', '2024-01-15'), row(2, 'south', '2024-02-01'), row(3, null, null)];
    // Without a key, NULLs go to a partition of their own; with one, the partition column joins
    // the key (PostgreSQL requires it there), so it cannot be NULL.
    await write(
      writer,
      target(byMonth, 'create', columns, { partitionBy: ['day'], key: [] }),
      rows,
    );
    const byRegion = store.path('sales_by_region');
    await write(
      writer,
      target(byRegion, 'create', columns, { partitionBy: ['region'] }),
      rows.slice(0, 2),
    );
    await expectError(
      write(
        writer,
        target(store.path('null_key'), 'create', columns, { partitionBy: ['region'] }),
        rows,
      ),
      'invalid-input',
    );

    const partitions = async (parent: string) =>
      (
        await store.rows(
          `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = '${parent}'::regclass ORDER BY 1`,
        )
      ).map((r) => r[0]);
    expect(await partitions('sales_by_month')).toEqual([
      'sales_by_month_2024_01',
      'sales_by_month_2024_02',
      'sales_by_month_null',
    ]);
    expect(await partitions('sales_by_region')).toEqual([
      'sales_by_region_north',
      'sales_by_region_south',
    ]);
    expect((await store.backend.describe(byRegion)).key).toEqual(['id', 'region']);
    const tree = await store.backend.tree();
    const names = tree.flatMap((s) => s.children ?? []).map((n) => n.label);
    expect(names).toContain('sales_by_month');
    expect(names).not.toContain('sales_by_month_2024_01');

    await write(writer, target(byMonth, 'append', columns), [
      row(4, 'east', '2023-12-31'),
      row(5, 'west', '2024-01-02'),
    ]);
    expect(await partitions('sales_by_month')).toContain('sales_by_month_2023_12');
    const page = await store.backend.page(byMonth, byId, 0, 10);
    expect(page.rows.map((r) => r[0])).toEqual([1, 2, 3, 4, 5]);
    const january = await store.backend.count(byMonth, {
      sort: [],
      filters: [{ column: 'day', op: 'range', min: '2024-01-01', max: '2024-01-31' }],
    });
    expect(january).toBe(2);
    await write(writer, target(byRegion, 'replace', columns, { partitionBy: ['region'] }), [
      row(9, 'north', null),
    ]);
    expect(await partitions('sales_by_region')).toEqual(['sales_by_region_north']);
    expect(await store.backend.count(byRegion, byId)).toBe(1);
  });

  it('replace keeps a same-shaped table’s definition, and will not drop views that use it', async () => {
    await store.exec(`CREATE TABLE kept (id serial PRIMARY KEY, name varchar(40) NOT NULL DEFAULT 'x');
      CREATE INDEX kept_name ON kept (name); INSERT INTO kept (name) VALUES ('old')`);
    const columns = [col('id', 'integer', false), col('name', 'text')];
    await write(writer, target(store.path('kept'), 'replace', columns), [[10, 'new']]);
    const described = await store.backend.describe(store.path('kept'));
    expect(described.columns.map((c) => c.nativeType)).toEqual([
      'integer',
      'character varying(40)',
    ]);
    const indexes = await store.rows(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'kept' ORDER BY 1`,
    );
    expect(indexes.map((r) => r[0])).toEqual(['kept_name', 'kept_pkey']);
    expect(
      await store.rows(`SELECT conname FROM pg_constraint WHERE conrelid = 'kept'::regclass`),
    ).toEqual([['kept_pkey']]);
    // The serial's sequence moved to the new table and still numbers new rows.
    await store.exec(`INSERT INTO kept (name) VALUES ('next')`);
    expect((await readAll(store, store.path('kept'))).map((r) => r[1])).toEqual(['next', 'new']);

    await store.exec('CREATE VIEW kept_names AS SELECT name FROM kept');
    const error = await expectError(
      write(writer, target(store.path('kept'), 'replace', columns), [[1, 'a']]),
      'invalid-input',
    );
    expect(error.message).toMatch(/depend/);
    expect(await store.backend.count(store.path('kept'), byId)).toBe(2);
    expect((await store.tableNames()).filter((n) => n.startsWith('_strata_'))).toEqual([]);
  });

  it('keeps the offset of a timestamp declared with a zone, and resolves it to UTC otherwise', async () => {
    const columns = [
      col('id', 'integer', false),
      col('zoned', 'timestamp', true, 'timestamptz'),
      col('naive', 'timestamp'),
    ];
    const at = '2024-03-10T02:30:00+02:00';
    await write(writer, target(store.path('times'), 'create', columns), [[1, at, at]]);
    const [[zoned, naive]] = (await store.rows(
      `SELECT zoned AT TIME ZONE 'UTC', naive FROM times`,
    )) as [[Date, Date]];
    expect(zoned.getTime()).toBe(naive.getTime());
    expect(await store.rows(`SELECT naive::text FROM times`)).toEqual([['2024-03-10 00:30:00']]);
  });
});
