/**
 * The canonical cell texts range checksums hash (range-checksum-rules.ts), the key-range SQL
 * helpers, and the range arithmetic of diff's bisection — on the values engines print differently.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  RowHashSum,
  canonicalCellText,
  canonicalRowText,
  type ChecksumColumn,
} from '../../electron/backends/range-checksum-rules.js';
import {
  arithmeticBoundaries,
  contiguousRuns,
  keyRowValue,
} from '../../electron/backends/sql/key-range-sql.js';
import { planChecksums } from '../../electron/backends/sql/range-checksum.js';
import { postgresRangeChecksums } from '../../electron/backends/postgres/range-checksum.js';
import { mergeAdjacent, splitRange } from '../../electron/diff/range-bisect.js';

const col = (type: ChecksumColumn['type'], nativeType = ''): ChecksumColumn => ({
  type,
  nativeType,
});

describe('canonical cell text', () => {
  it('writes integers without leading zeros and decimals without trailing zeros', () => {
    expect(canonicalCellText(7n, col('integer'))).toBe('7');
    expect(canonicalCellText('007', col('integer'))).toBe('7');
    expect(canonicalCellText(-12, col('bigint'))).toBe('-12');
    expect(canonicalCellText('12.500', col('decimal'))).toBe('12.5');
    expect(canonicalCellText('3.000', col('decimal'))).toBe('3');
    expect(canonicalCellText('-0.00', col('decimal'))).toBe('0');
    expect(canonicalCellText('-0.010', col('decimal'))).toBe('-0.01');
    expect(canonicalCellText(12.0, col('decimal'))).toBe('12');
    expect(canonicalCellText(1e-7, col('decimal'))).toBe('0.0000001');
  });

  it('rounds floats to six places, so engines printing different digit counts agree', () => {
    expect(canonicalCellText(0.1 + 0.2, col('float'))).toBe('0.3');
    expect(canonicalCellText(1e20, col('float'))).toBe('100000000000000000000');
    expect(canonicalCellText(-1e-9, col('float'))).toBe('0');
    expect(canonicalCellText(2.0000005, col('float'))).toBe('2.000001');
    expect(canonicalCellText(-2.0000005, col('float'))).toBe('-2.000001');
  });

  it('writes timestamps in UTC ISO form with the fraction trimmed, and dates as YYYY-MM-DD', () => {
    const ts = col('timestamp');
    expect(canonicalCellText('2020-01-01 10:00:00.500+02:00', ts)).toBe('2020-01-01T08:00:00.5');
    expect(canonicalCellText('2020-01-01T00:00:00Z', ts)).toBe('2020-01-01T00:00:00');
    expect(canonicalCellText('2019-12-31 23:30:00-01', ts)).toBe('2020-01-01T00:30:00');
    expect(canonicalCellText('2020-01-01 00:00', ts)).toBe('2020-01-01T00:00:00');
    expect(canonicalCellText(0, ts)).toBe('1970-01-01T00:00:00');
    expect(canonicalCellText('2020-02-29 12:00:00', col('date'))).toBe('2020-02-29');
  });

  it('writes booleans as 1/0 and blobs as lowercase hex', () => {
    expect(canonicalCellText(1n, col('boolean'))).toBe('1');
    expect(canonicalCellText('false', col('boolean'))).toBe('0');
    expect(canonicalCellText(true, col('boolean'))).toBe('1');
    expect(canonicalCellText(new Uint8Array([0, 255]), col('blob'))).toBe('00ff');
  });

  it('keeps NULL apart from the empty text, and cells from running together', () => {
    const text = [col('text'), col('text')];
    expect(canonicalRowText([null, 'x'], text)).toBe('N1:x');
    expect(canonicalRowText(['', 'x'], text)).toBe('0:1:x');
    expect(canonicalRowText(['ab', 'c'], text)).not.toBe(canonicalRowText(['a', 'bc'], text));
    expect(canonicalRowText(['é'], [col('text')])).toBe('2:é');
  });
});

describe('row hash sum', () => {
  it('is the exact sum of the low 60 bits of each row’s md5, in any order', () => {
    const rows = ['a', 'b', '5:hello', 'N'];
    const expected = rows
      .map((r) => BigInt(`0x${createHash('md5').update(r).digest('hex').slice(17)}`))
      .reduce((x, y) => x + y, 0n);
    const forward = new RowHashSum();
    const backward = new RowHashSum();
    rows.forEach((r) => forward.add(r));
    [...rows].reverse().forEach((r) => backward.add(r));
    expect(forward.total()).toBe(expected);
    expect(backward.total()).toBe(expected);
    expect(new RowHashSum().total()).toBe(0n);
  });
});

describe('key ranges', () => {
  it('cuts an integer span into near-equal segments without repeats', () => {
    expect(arithmeticBoundaries(1n, 100n, 4)).toEqual([26n, 51n, 76n]);
    expect(arithmeticBoundaries(1n, 3n, 8)).toEqual([2n, 3n]);
    expect(arithmeticBoundaries(5n, 5n, 8)).toEqual([]);
  });

  it('groups ranges that follow each other into one run', () => {
    const ranges = [
      { to: [10] },
      { from: [10], to: [20] },
      { from: [30], to: [40] },
      { from: [40] },
    ];
    expect(contiguousRuns(ranges)).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('splits a range at its bounds and merges touching ranges back', () => {
    const parts = splitRange({ from: [1], to: [100] }, [[10], [50]]);
    expect(parts).toEqual([
      { from: [1], to: [10] },
      { from: [10], to: [50] },
      { from: [50], to: [100] },
    ]);
    expect(mergeAdjacent([parts[2]!, parts[0]!, parts[1]!])).toEqual([{ from: [1], to: [100] }]);
    expect(mergeAdjacent([parts[2]!, parts[0]!])).toEqual([parts[0], parts[2]]);
    expect(splitRange({}, [['m']])).toEqual([{ to: ['m'] }, { from: ['m'] }]);
  });

  it('answers integer keys as numbers (bigint past 2^53), so they order as scan.ts orders', () => {
    const id = { name: 'id', type: 'bigint' as const, nativeType: 'int8', nullable: false };
    expect(keyRowValue(id, '42')).toBe(42);
    expect(keyRowValue(id, '9007199254740993')).toBe(9007199254740993n);
  });
});

describe('checksum queries', () => {
  const id = { name: 'id', type: 'integer' as const, nativeType: 'integer', nullable: false };
  const plan = (ranges: { from?: number[]; to?: number[] }[]) =>
    planChecksums(postgresRangeChecksums, 't', [id], { key: ['id'], columns: ['id'], ranges });

  it('answers scattered ranges with one query: a grouped scan per run, runs joined by UNION ALL', () => {
    const plans = plan([
      { from: [50], to: [60] },
      { from: [10], to: [20] },
      { from: [20], to: [30] },
    ]);
    expect(plans).toHaveLength(1);
    expect(plans[0]!.run).toEqual([1, 2, 0]);
    const branches = plans[0]!.query.sql.split(' UNION ALL ');
    expect(branches).toHaveLength(2);
    expect(branches[0]).toMatch(/^SELECT CASE WHEN "id" < \$1 THEN 0 ELSE 1 END, count\(\*\), /);
    expect(branches[0]).toMatch(/WHERE "id" >= \$2 AND "id" < \$3 GROUP BY 1$/);
    expect(branches[1]).toMatch(/^SELECT 2, count\(\*\), .* WHERE "id" >= \$4 AND "id" < \$5$/);
    expect(plans[0]!.query.params).toEqual([20, 10, 30, 50, 60]);
  });

  it('puts overlapping ranges in separate queries, so each row is counted in each', () => {
    const plans = plan([{}, { from: [1], to: [2] }, { from: [2] }]);
    expect(plans.map((p) => p.run)).toEqual([[0], [1, 2]]);
  });
});
