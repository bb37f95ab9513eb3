/**
 * MariaDB beyond the shared suite: a connection killed mid-load leaves the target unchanged;
 * partitioned targets (LIST by value, by month) are readable through the backend and grow on
 * append; the INSERT fallback (server without local_infile) writes the same rows; staging tables
 * of dead writes are dropped and those of live ones kept; a MyISAM append is refused.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOptions } from '../../../electron/backends/mysql/mysql-engine.js';
import { createMysqlWriter } from '../../../electron/backends/mysql/mysql-writer.js';
import type { MysqlConfig } from '../../../electron/backends/mysql/mysql-backend.js';
import type { DatasetWriter } from '../../../electron/backends/writer.js';
import { allTypeRows, allTypes, canonicalRows, col, volumeColumns, volumeRows } from './fixture.js';
import { target } from './fixture.js';
import { configFromUrl } from '../../../electron/backends/registry.js';
import { mysqlUrl } from '../../support/servers.js';
import { mysqlSetup, type WriterStore } from './stores.js';
import { expectError, readAll, write } from './writer-suite.js';

const setup = await mysqlSetup();
if (setup.skip) console.warn(`⚠ SKIPPED MariaDB writer extras: ${setup.skip}`);
const byId = { sort: [{ column: 'id', direction: 'asc' as const }], filters: [] };

describe.skipIf(setup.skip !== undefined)('MariaDB writer', () => {
  let store: WriterStore;
  let writer: DatasetWriter;
  let config: MysqlConfig;
  beforeAll(async () => {
    store = await setup.open();
    writer = store.backend.writer!;
    const server = configFromUrl(mysqlUrl) as MysqlConfig;
    config = { ...server, database: store.path('x')[0] };
  });
  afterAll(async () => store?.teardown());

  const tables = async () => (await store.tableNames()).filter((n) => n.startsWith('_strata_'));

  for (const mode of ['create', 'append'] as const) {
    it(`a connection killed mid-load leaves the target unchanged (${mode})`, async () => {
      const path = store.path(`killed_${mode}`);
      if (mode === 'append')
        await write(writer, target(path, 'create', volumeColumns), volumeRows(0, 100));
      const session = await writer.begin(target(path, mode, volumeColumns));
      await session.write(volumeRows(1_000, 20_000));
      const loads = await store.rows(
        `SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%' AND DB IS NOT NULL`,
      );
      expect(loads.length).toBeGreaterThan(0);
      for (const [id] of loads) await store.exec(`KILL ${Number(id)}`);
      const failed = (async () => {
        for (let i = 0; i < 50; i++) await session.write(volumeRows(100_000 + i * 1_000, 1_000));
        return session.commit();
      })();
      await expect(failed).rejects.toThrow();
      await session.abort();
      if (mode === 'create') await expectError(store.backend.describe(path), 'not-found');
      else expect(await store.backend.count(path, byId)).toBe(100);
      expect(await tables()).toEqual([]);
    });
  }

  it('partitions by value and by month, readable through the backend, growing on append', async () => {
    const columns = [col('id', 'integer', false), col('region', 'text'), col('day', 'date')];
    const rows = [
      [1, 'north', '2024-01-15'],
      [2, 'south', '2024-02-01'],
      [3, 'north', '2024-01-20'],
    ];
    const byRegion = store.path('by_region');
    const byMonth = store.path('by_month');
    await write(writer, target(byRegion, 'create', columns, { partitionBy: ['region'] }), rows);
    await write(writer, target(byMonth, 'create', columns, { partitionBy: ['day'], key: [] }), [
      ...rows,
      [4, null, null],
    ]);
    const partitions = async (table: string) =>
      (
        await store.rows(
          `SELECT PARTITION_NAME FROM information_schema.PARTITIONS
           WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' ORDER BY 1`,
        )
      ).map((r) => r[0]);
    expect(await partitions('by_region')).toEqual(['p_north', 'p_null', 'p_south']);
    expect(await partitions('by_month')).toEqual(['p_2024_01', 'p_2024_02', 'p_null']);
    expect((await store.backend.describe(byRegion)).key).toEqual(['id', 'region']);

    await write(writer, target(byRegion, 'append', columns), [
      [5, 'east', '2023-12-31'],
      [6, 'north', null],
    ]);
    await write(writer, target(byMonth, 'append', columns), [[7, 'east', '2023-12-31']]);
    expect(await partitions('by_region')).toEqual(['p_east', 'p_north', 'p_null', 'p_south']);
    expect(await partitions('by_month')).toEqual(['p_2023_12', 'p_2024_01', 'p_2024_02', 'p_null']);
    const page = await store.backend.page(byRegion, byId, 0, 10);
    expect(page.rows.map((r) => r[0])).toEqual([1, 2, 3, 5, 6]);
    const north = await store.backend.count(byRegion, {
      sort: [],
      filters: [{ column: 'region', op: 'eq', value: 'north' }],
    });
    expect(north).toBe(3);
    expect(await store.backend.count(byMonth, byId)).toBe(5);
    expect(await tables()).toEqual([]);
  });

  it('writes the same rows with batched INSERTs when LOAD DATA LOCAL is not allowed', async () => {
    const inserts = createMysqlWriter({ ...config }, { insertsOnly: true });
    const path = store.path('inserted');
    await write(inserts, target(path, 'create'), allTypeRows, 2);
    const back = canonicalRows(await readAll(store, path), allTypes, 'mysql');
    expect(back).toEqual(canonicalRows(allTypeRows, allTypes, 'mysql'));
    await write(
      inserts,
      target(store.path('inserted_volume'), 'create', volumeColumns),
      volumeRows(0, 20_000),
      5_000,
    );
    expect(await store.backend.count(store.path('inserted_volume'), byId)).toBe(20_000);
    await expectError(
      write(inserts, target(path, 'append'), allTypeRows.slice(0, 1)),
      'invalid-input',
    );
    expect(await store.backend.count(path, byId)).toBe(allTypeRows.length);
  });

  it('drops staging tables of dead writes, keeps those of live ones', async () => {
    const holder = await mysql.createConnection(connectionOptions(config));
    try {
      await store.exec('CREATE TABLE _strata_staging_dead00000000 (a int)');
      await store.exec('CREATE TABLE _strata_old_dead00000001 (a int)');
      await store.exec('CREATE TABLE _strata_staging_live00000000 (a int)');
      await holder.query(`SELECT GET_LOCK('strata_write_live00000000', 0)`);
      await write(
        writer,
        target(store.path('after_cleanup'), 'create', volumeColumns),
        volumeRows(0, 1),
      );
      expect(await tables()).toEqual(['_strata_staging_live00000000']);
    } finally {
      await holder.end();
    }
    await write(
      writer,
      target(store.path('after_cleanup'), 'append', volumeColumns),
      volumeRows(1, 1),
    );
    expect(await tables()).toEqual([]);
  });

  it('refuses to append to a table without transactions', async () => {
    await store.exec(
      'CREATE TABLE plain_myisam (id bigint PRIMARY KEY, name longtext) ENGINE=MyISAM',
    );
    const columns = [col('id', 'integer', false), col('name', 'text')];
    const error = await expectError(
      writer.begin(target(store.path('plain_myisam'), 'append', columns)),
      'invalid-input',
    );
    expect(error.message).toMatch(/MyISAM/);
  });
});
