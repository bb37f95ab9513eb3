/** Row encodings and DDL of the SQL writers, pinned on representative values. */
import { describe, expect, it } from 'vitest';
import type { Column, LogicalType } from '../../shared/model.js';
import { copyColumns, encodeCopyRows } from '../../electron/backends/postgres/copy-encoding.js';
import {
  createPartitionSql,
  createTableSql as postgresTable,
  partitionName,
} from '../../electron/backends/postgres/write-ddl.js';
import {
  encodeLoadRows,
  loadColumnList,
  loadColumns,
} from '../../electron/backends/mysql/load-data-encoding.js';
import {
  createTableSql as mysqlTable,
  partitionDefinition,
} from '../../electron/backends/mysql/write-ddl.js';
import {
  createTableSql as sqliteTable,
  renamedCreateSql,
} from '../../electron/backends/sqlite/write-ddl.js';
import { partitionPlan } from '../../electron/backends/sql/partition-keys.js';

const col = (name: string, type: LogicalType, nullable = true, nativeType = ''): Column => ({
  name,
  type,
  nativeType,
  nullable,
});
const columns = [
  col('id', 'integer', false),
  col('name', 'text'),
  col('flag', 'boolean'),
  col('raw', 'blob'),
  col('at', 'timestamp'),
  col('amount', 'decimal', true, 'DECIMAL(12,2)'),
];
const rows = [
  [1, 'a\tb\nc\\d\re', true, new Uint8Array([0, 255]), '2024-01-01T10:00:00+01:00', '12.50'],
  [2, '', false, new Uint8Array(0), '2024-01-01T10:00:00', 3],
  [3, null, null, null, null, null],
];

describe('PostgreSQL COPY text', () => {
  it('escapes separators, tells NULL from the empty string, sends bytea as hex', () => {
    expect(encodeCopyRows(rows, copyColumns(columns)).toString()).toBe(
      '1\ta\\tb\\nc\\\\d\\re\tt\t\\\\x00ff\t2024-01-01 09:00:00\t12.50\n' +
        '2\t\tf\t\\\\x\t2024-01-01 10:00:00\t3\n' +
        '3\t\\N\t\\N\t\\N\t\\N\t\\N\n',
    );
  });

  it('refuses NUL, which PostgreSQL text cannot hold, naming the column', () => {
    expect(() =>
      encodeCopyRows([[1, 'a\0b', null, null, null, null]], copyColumns(columns)),
    ).toThrow(/“name”.*NUL/);
  });

  it('keeps the offset for a timestamp declared with a zone', () => {
    const zoned = copyColumns([col('at', 'timestamp', true, 'timestamptz')]);
    expect(encodeCopyRows([['2024-01-01T10:00:00+01:00']], zoned).toString()).toBe(
      '2024-01-01T10:00:00+01:00\n',
    );
  });

  it('creates partitioned tables and partitions', () => {
    const plan = partitionPlan([col('id', 'integer'), col('day', 'date')], ['day'], 'PostgreSQL')!;
    expect(
      postgresTable('"s"."t"', [col('id', 'integer', false), col('day', 'date')], ['id'], plan),
    ).toBe(
      'CREATE TABLE "s"."t" ("id" bigint NOT NULL, "day" date NOT NULL, PRIMARY KEY ("id", "day")) PARTITION BY RANGE ("day")',
    );
    const literal = (t: string) => `'${t}'`;
    expect(
      createPartitionSql(
        '"s"."t"',
        '"s"."t_2024_02"',
        { value: '2024-02', suffix: '2024_02' },
        plan,
        literal,
      ),
    ).toBe(
      `CREATE TABLE "s"."t_2024_02" PARTITION OF "s"."t" FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')`,
    );
    expect(
      createPartitionSql('"t"', '"t_null"', { value: null, suffix: 'null' }, plan, literal),
    ).toMatch(/DEFAULT$/);
    expect(Buffer.byteLength(partitionName('é'.repeat(40), '2024_01'))).toBeLessThanOrEqual(63);
  });
});

describe('MariaDB LOAD DATA text', () => {
  it('escapes separators and NUL, tells NULL from the empty string, sends blobs as hex', () => {
    const withNul = rows.map((r, i) => (i === 0 ? [...r.slice(0, 1), 'x\0y', ...r.slice(2)] : r));
    expect(encodeLoadRows(withNul, loadColumns(columns)).toString()).toBe(
      '1\tx\\0y\t1\t00ff\t2024-01-01 09:00:00\t12.50\n' +
        '2\t\t0\t\t2024-01-01 10:00:00\t3\n' +
        '3\t\\N\t\\N\t\\N\t\\N\t\\N\n',
    );
    expect(loadColumnList(loadColumns(columns), (n) => `\`${n}\``)).toBe(
      '(`id`, `name`, `flag`, @b3, `at`, `amount`) SET `raw` = UNHEX(@b3)',
    );
  });

  it('refuses NaN and infinity, which MariaDB cannot store', () => {
    expect(() => encodeLoadRows([[Infinity]], loadColumns([col('f', 'float')]))).toThrow(
      /infinity/,
    );
  });

  it('creates LIST-partitioned tables whose key holds the partition column', () => {
    const table = [col('id', 'integer', false), col('region', 'text'), col('note', 'text')];
    const plan = partitionPlan(table, ['region'], 'MariaDB')!;
    expect(mysqlTable('`t`', table, ['id'], plan)).toBe(
      'CREATE TABLE `t` (`id` BIGINT NOT NULL, `region` VARCHAR(255) NOT NULL, `note` LONGTEXT, PRIMARY KEY (`id`, `region`)) ' +
        'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 PARTITION BY LIST COLUMNS (`region`) (PARTITION `p_null` VALUES IN (NULL))',
    );
    expect(
      partitionDefinition({ value: "o'b", suffix: 'p1' }, plan, (t) => `'${t.replace("'", "''")}'`),
    ).toBe("PARTITION `p_p1` VALUES IN ('o''b')");
    const months = partitionPlan([col('day', 'date')], ['day'], 'MariaDB')!;
    expect(mysqlTable('`m`', [col('day', 'date')], [], months)).toMatch(
      /LIST \(EXTRACT\(YEAR_MONTH FROM `day`\)\)/,
    );
    expect(partitionDefinition({ value: '2024-03', suffix: '2024_03' }, months, String)).toBe(
      'PARTITION `p_2024_03` VALUES IN (202403)',
    );
  });
});

describe('SQLite DDL', () => {
  it('declares types whose affinity keeps values as written', () => {
    expect(
      sqliteTable(
        '"main"."t"',
        [col('id', 'integer', false), col('doc', 'json'), col('d', 'decimal'), col('u', 'unknown')],
        ['id'],
      ),
    ).toBe(
      'CREATE TABLE "main"."t" ("id" INTEGER NOT NULL, "doc" JSON TEXT, "d" NUMERIC, "u", PRIMARY KEY ("id"))',
    );
  });

  it('renames a table’s own CREATE TABLE, however its name was written', () => {
    for (const sql of [
      'CREATE TABLE t (a int)',
      'create table if not exists "my ""t""" (a int)',
      'CREATE TABLE main.[t] (a int)',
      'CREATE TABLE `t`(a int)',
    ]) {
      expect(renamedCreateSql(sql, '"s"')).toMatch(/^CREATE TABLE "s"\s*\(a int\)$/);
    }
  });
});
