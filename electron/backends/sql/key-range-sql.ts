/**
 * SQL for key ranges (scan.ts's KeyRange) in any SQL engine: the WHERE of a range, and the
 * bucket of a row among contiguous ranges, ordered as scan.ts orders keys (text by binary
 * collation). Key values are bound as parameters; bigints are spliced as digits (a bigint's text
 * is always safe SQL), because drivers bind them as text and MariaDB would compare that as a double.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import { compareKeys, type KeyRange, type RowValue } from '../scan.js';

export interface KeySqlDialect {
  quoteIdent(name: string): string;
  placeholder(n: number): string;
  bindValue(value: string | number | boolean): string | number | boolean;
  /** The key column as scan.ts orders it (e.g. `k COLLATE "C"` for text in PostgreSQL). */
  orderedKey(column: Column, quoted: string): string;
}

/** Collects bound parameters while SQL is built, numbering placeholders in order. */
export class BoundParams {
  readonly values: (string | number | boolean)[] = [];

  constructor(private readonly dialect: KeySqlDialect) {}

  bind(value: RowValue | undefined): string {
    if (typeof value === 'bigint') return value.toString();
    if (value === null || value === undefined) {
      throw new AppError('invalid-input', 'A key range bound holds a NULL key value');
    }
    if (value instanceof Uint8Array) {
      throw new AppError(
        'invalid-input',
        'Key ranges over a binary (blob) key are not supported',
        'Compare on a text or numeric key column instead.',
      );
    }
    this.values.push(this.dialect.bindValue(value));
    return this.dialect.placeholder(this.values.length);
  }
}

/** The key columns, quoted and wrapped for ordering. */
export function orderedKeys(dialect: KeySqlDialect, key: readonly Column[]): string[] {
  return key.map((c) => dialect.orderedKey(c, dialect.quoteIdent(c.name)));
}

/**
 * `key < bound` (or `>=` when `atLeast`) over several columns, expanded lexicographically:
 * (k1 < b1) OR (k1 = b1 AND k2 < b2) … — engines plan this form on an index more reliably than
 * row-value comparison.
 */
function keyCompare(
  keys: readonly string[],
  bound: readonly RowValue[],
  params: BoundParams,
  atLeast: boolean,
): string {
  const strict = atLeast ? '>' : '<';
  const last = atLeast ? '>=' : '<';
  const terms: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const equal = keys.slice(0, i).map((k, j) => `${k} = ${params.bind(bound[j])}`);
    const op = i === keys.length - 1 ? last : strict;
    terms.push([...equal, `${keys[i]} ${op} ${params.bind(bound[i])}`].join(' AND '));
  }
  return terms.length === 1 ? terms[0]! : `(${terms.map((t) => `(${t})`).join(' OR ')})`;
}

/** The condition a row's key lies in `range` (`TRUE`-like `1=1` when unbounded). */
export function rangeCondition(
  keys: readonly string[],
  range: KeyRange,
  params: BoundParams,
): string {
  const parts: string[] = [];
  if (range.from) parts.push(keyCompare(keys, range.from, params, true));
  if (range.to) parts.push(keyCompare(keys, range.to, params, false));
  return parts.length === 0 ? '1 = 1' : parts.join(' AND ');
}

/** Where a bucket begins (open for the first) and the number the query answers for it. */
export interface BucketStart {
  from: readonly RowValue[] | undefined;
  bucket: number;
}

/**
 * The bucket a row falls in, given the buckets' ascending starts: a balanced tree of CASEs on the
 * starts, so a row costs log2(n) comparisons. The caller restricts rows to the ranges wanted.
 */
export function bucketExpression(
  keys: readonly string[],
  starts: readonly BucketStart[],
  params: BoundParams,
): string {
  const build = (lo: number, hi: number): string => {
    if (lo === hi) return String(starts[lo]!.bucket);
    const mid = (lo + hi + 1) >> 1;
    const below = keyCompare(keys, starts[mid]!.from!, params, false);
    return `CASE WHEN ${below} THEN ${build(lo, mid - 1)} ELSE ${build(mid, hi)} END`;
  };
  return build(0, starts.length - 1);
}

/** Orders ranges by their start, an open start first. */
export function compareRangeStarts(x: KeyRange, y: KeyRange): number {
  if (!x.from) return y.from ? -1 : 0;
  if (!y.from) return 1;
  return compareKeys(x.from, y.from);
}

/** Ranges (by their index in `ranges`) grouped into runs where each starts where the last ended. */
export function contiguousRuns(ranges: readonly KeyRange[]): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  ranges.forEach((range, index) => {
    const previous = current.length > 0 ? ranges[current[current.length - 1]!]! : undefined;
    const joins =
      previous?.to !== undefined &&
      range.from !== undefined &&
      compareKeys(previous.to, range.from) === 0;
    if (current.length > 0 && !joins) {
      runs.push(current);
      current = [];
    }
    current.push(index);
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

/** A key cell as the driver returned it, turned into the RowValue scan.ts orders correctly. */
export function keyRowValue(column: Column, raw: unknown): RowValue {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Uint8Array) return raw;
  switch (column.type) {
    case 'integer':
    case 'bigint': {
      const big = BigInt(String(raw));
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(big)
        : big;
    }
    case 'decimal':
    case 'float': {
      const n = Number(raw);
      return Number.isFinite(n) ? n : String(raw);
    }
    case 'boolean':
      return raw === true || raw === 1 || raw === 1n || raw === '1' || raw === 't';
    default:
      return typeof raw === 'bigint' || typeof raw === 'number' ? raw : String(raw);
  }
}

/** N-1 inner boundaries splitting the integers lo..hi into N near-equal spans (fewer if narrow). */
export function arithmeticBoundaries(lo: bigint, hi: bigint, segments: number): bigint[] {
  const span = hi - lo + 1n;
  const boundaries: bigint[] = [];
  for (let i = 1n; i < BigInt(segments); i++) {
    const at = lo + (span * i + BigInt(segments) - 1n) / BigInt(segments);
    if (at > lo && at <= hi && at !== boundaries[boundaries.length - 1]) boundaries.push(at);
  }
  return boundaries;
}
