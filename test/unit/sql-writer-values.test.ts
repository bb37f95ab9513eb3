/** The SQL writers' shared checks and value text: targets, append fit, time zones, partition keys. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { Column, LogicalType } from '../../shared/model.js';
import type { WriteTarget } from '../../electron/backends/writer.js';
import {
  assignable,
  checkAppendColumns,
  checkTargetShape,
  declaredDecimal,
  sameColumnNames,
} from '../../electron/backends/sql/write-target.js';
import { naiveTimestamp, valueText } from '../../electron/backends/sql/write-values.js';
import {
  maxPartitions,
  monthBounds,
  partitionPlan,
  PartitionTracker,
} from '../../electron/backends/sql/partition-keys.js';

const col = (name: string, type: LogicalType, nullable = true): Column => ({
  name,
  type,
  nativeType: '',
  nullable,
});
const target = (extra: Partial<WriteTarget> = {}): WriteTarget => ({
  path: ['main', 't'],
  mode: 'create',
  columns: [col('id', 'integer'), col('day', 'date'), col('blob', 'blob')],
  key: ['id'],
  partitionBy: [],
  ...extra,
});
const code = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as AppError).code;
  }
  return undefined;
};

describe('write targets', () => {
  it('refuses names that would break DDL or collide without case', () => {
    expect(code(() => checkTargetShape(target(), 'X'))).toBeUndefined();
    expect(code(() => checkTargetShape(target({ columns: [] }), 'X'))).toBe('invalid-input');
    const twice = [col('Id', 'integer'), col('id', 'text')];
    expect(code(() => checkTargetShape(target({ columns: twice, key: [] }), 'X'))).toBe(
      'invalid-input',
    );
    expect(code(() => checkTargetShape(target({ key: ['nope'] }), 'X'))).toBe('invalid-input');
    expect(code(() => checkTargetShape(target({ partitionBy: ['id', 'day'] }), 'X'))).toBe(
      'invalid-input',
    );
    expect(code(() => checkTargetShape(target({ path: ['main', '_strata_staging_x'] }), 'X'))).toBe(
      'invalid-input',
    );
  });

  it('lets an append through only when every column fits the existing table', () => {
    const existing = {
      columns: [col('id', 'bigint', false), col('name', 'text'), col('note', 'text')],
      key: ['id'],
      kind: 'table' as const,
    };
    expect(() =>
      checkAppendColumns(existing, [col('id', 'integer'), col('name', 'integer')], 't'),
    ).not.toThrow();
    expect(() =>
      checkAppendColumns(existing, [col('id', 'integer'), col('other', 'text')], 't'),
    ).toThrow(/no column “other”/);
    expect(() => checkAppendColumns(existing, [col('id', 'blob')], 't')).toThrow(/blob values/);
    expect(() => checkAppendColumns(existing, [col('name', 'text')], 't')).toThrow(
      /requires column “id”/,
    );
    expect(() =>
      checkAppendColumns({ ...existing, kind: 'view' }, [col('id', 'integer')], 't'),
    ).toThrow(/view/);
  });

  it('knows which types take which values', () => {
    expect(assignable('integer', 'bigint')).toBe(true);
    expect(assignable('bigint', 'integer')).toBe(true);
    expect(assignable('date', 'timestamp')).toBe(true);
    expect(assignable('blob', 'text')).toBe(true);
    expect(assignable('text', 'integer')).toBe(false);
    expect(assignable('timestamp', 'date')).toBe(false);
    expect(
      sameColumnNames([col('a', 'text'), col('b', 'text')], [col('b', 'blob'), col('a', 'date')]),
    ).toBe(true);
    expect(sameColumnNames([col('a', 'text')], [col('a', 'text'), col('b', 'text')])).toBe(false);
  });

  it('reads a declared decimal’s precision and scale', () => {
    expect(declaredDecimal('DECIMAL(12, 2)')).toEqual({ precision: 12, scale: 2 });
    expect(declaredDecimal('numeric(5)')).toEqual({ precision: 5, scale: 0 });
    expect(declaredDecimal('decimal')).toBeUndefined();
    expect(declaredDecimal('decimal(2,5)')).toBeUndefined();
    expect(declaredDecimal('decimal(10,2); DROP TABLE x')).toBeUndefined();
  });
});

describe('value text', () => {
  const pg = { true: 't', false: 'f', nonFinite: true };
  const my = { true: '1', false: '0', nonFinite: false };

  it('keeps zone-less timestamps as written and resolves offsets to UTC', () => {
    expect(naiveTimestamp('2024-03-10T02:30:00', 'c')).toBe('2024-03-10 02:30:00');
    expect(naiveTimestamp('2024-03-10 02:30:00.123456', 'c')).toBe('2024-03-10 02:30:00.123456');
    expect(naiveTimestamp('2024-03-10T02:30:00.123456+02:00', 'c')).toBe(
      '2024-03-10 00:30:00.123456',
    );
    expect(naiveTimestamp('2024-03-10T23:30:00-05:30', 'c')).toBe('2024-03-11 05:00:00');
    expect(naiveTimestamp('2024-03-10T02:30:00Z', 'c')).toBe('2024-03-10 02:30:00');
    expect(naiveTimestamp('2024-03-10', 'c')).toBe('2024-03-10');
    expect(naiveTimestamp(0, 'c')).toBe('1970-01-01 00:00:00');
    expect(naiveTimestamp(1_500, 'c')).toBe('1970-01-01 00:00:01.500');
    expect(() => naiveTimestamp(Number.NaN, 'c')).toThrow(AppError);
  });

  it('spells booleans, numbers and bigints each engine’s way', () => {
    expect(valueText(true, 'boolean', 'c', pg)).toBe('t');
    expect(valueText('No', 'boolean', 'c', my)).toBe('0');
    expect(valueText(1, 'boolean', 'c', pg)).toBe('t');
    expect(valueText(true, 'integer', 'c', pg)).toBe('1');
    expect(valueText(false, 'text', 'c', my)).toBe('false');
    expect(valueText(2n ** 63n - 1n, 'bigint', 'c', my)).toBe('9223372036854775807');
    expect(valueText(Number.NaN, 'float', 'c', pg)).toBe('NaN');
    expect(valueText(-Infinity, 'float', 'c', pg)).toBe('-Infinity');
    expect(() => valueText(Infinity, 'float', 'c', my)).toThrow(/no NaN or infinity/);
    expect(valueText(86_400_000, 'date', 'c', my)).toBe('1970-01-02');
  });
});

describe('partition keys', () => {
  const columns = [col('id', 'integer'), col('region', 'text'), col('day', 'date')];

  it('partitions dates by month and other columns by value', () => {
    expect(partitionPlan(columns, ['day'], 'X')?.style).toBe('month');
    expect(partitionPlan(columns, ['region'], 'X')?.style).toBe('list');
    expect(partitionPlan(columns, [], 'X')).toBeUndefined();
    expect(code(() => partitionPlan([col('f', 'float')], ['f'], 'X'))).toBe('invalid-input');
    expect(code(() => partitionPlan([col('d', 'decimal')], ['d'], 'X', ['decimal']))).toBe(
      'invalid-input',
    );
  });

  it('names each new key once, in a form safe for identifiers', () => {
    const byMonth = new PartitionTracker(partitionPlan(columns, ['day'], 'X')!);
    expect(
      byMonth.newKeys([
        [1, 'a', '2024-01-31'],
        [2, 'a', '2024-01-01'],
        [3, 'a', null],
      ]),
    ).toEqual([
      { value: '2024-01', suffix: '2024_01' },
      { value: null, suffix: 'null' },
    ]);
    // An offset can move a timestamp into another month: it counts in UTC, as it is stored.
    expect(
      byMonth.newKeys([
        [4, 'a', '2024-01-05'],
        [5, 'a', '2023-12-31T23:00:00-02:00'],
      ]),
    ).toEqual([]);
    const byRegion = new PartitionTracker(partitionPlan(columns, ['region'], 'X')!);
    const keys = byRegion.newKeys([
      [1, 'north', null],
      [2, 'North', null],
      [3, 'x y/z', null],
    ]);
    expect(keys.map((k) => k.value)).toEqual(['north', 'North', 'x y/z']);
    expect(keys[0]!.suffix).toBe('north');
    expect(keys[1]!.suffix).toMatch(/^p[0-9a-f]{8}$/);
    expect(keys[2]!.suffix).toMatch(/^p[0-9a-f]{8}$/);
    expect(keys[1]!.suffix).not.toBe(keys[2]!.suffix);
  });

  it('refuses more partitions than is sensible', () => {
    const tracker = new PartitionTracker(partitionPlan(columns, ['region'], 'X')!);
    const rows = Array.from({ length: maxPartitions + 1 }, (_, i) => [i, `r${i}`, null]);
    expect(() => tracker.newKeys(rows)).toThrow(/too many partitions/);
  });

  it('bounds a month', () => {
    expect(monthBounds('2024-02')).toEqual(['2024-02-01', '2024-03-01']);
    expect(monthBounds('2024-12')).toEqual(['2024-12-01', '2025-01-01']);
  });
});
