/**
 * Declarative partitioning for SQL targets, decided once for both server engines: a date or
 * timestamp column is partitioned by calendar month (a partition per day would make hundreds of
 * tiny tables a year; by month keeps them few and still prunes a date range); any other column by
 * its distinct values (LIST). Partitions are created for the keys the rows actually hold, as they
 * are first seen, so nothing has to be known before the load starts.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import type { WriteValue } from '../writer.js';
import { badValue, blobBytes, naiveTimestamp } from './write-values.js';

export type PartitionStyle = 'list' | 'month';

export interface PartitionPlan {
  /** Index of the partition column in each row. */
  index: number;
  column: Column;
  style: PartitionStyle;
}

/** One partition's key: a value (LIST) or a month `YYYY-MM`; `null` holds the NULLs. */
export interface PartitionKey {
  value: string | null;
  /** A short name part, safe in an identifier: `2024_03`, `north`, `null`, `p3f2a…`. */
  suffix: string;
}

/** More partitions than this in one write is almost surely the wrong column. */
export const maxPartitions = 1_000;

/** Types no store here partitions by: equality on them is meaningless or unsupported. */
const unpartitionable = new Set(['blob', 'json', 'float', 'unknown']);

export function partitionPlan(
  columns: readonly Column[],
  by: readonly string[],
  store: string,
  alsoRefused: readonly string[] = [],
): PartitionPlan | undefined {
  if (by.length === 0) return undefined;
  const index = columns.findIndex((c) => c.name === by[0]);
  const column = columns[index]!;
  if (unpartitionable.has(column.type) || alsoRefused.includes(column.type)) {
    throw new AppError(
      'invalid-input',
      `${store} cannot partition by “${column.name}”, a ${column.type} column`,
      'Partition by a date, text, integer or boolean column.',
    );
  }
  const style = column.type === 'date' || column.type === 'timestamp' ? 'month' : 'list';
  return { index, column, style };
}

/** Remembers the keys already given partitions and names the new ones a batch brings. */
export class PartitionTracker {
  private readonly seen = new Set<string | null>();

  constructor(readonly plan: PartitionPlan) {}

  /** Marks a key as having its partition already (e.g. the NULL one a table starts with). */
  assume(key: string | null): void {
    this.seen.add(key);
  }

  /** Keys in `rows` not seen before, remembered from now on. */
  newKeys(rows: readonly WriteValue[][]): PartitionKey[] {
    const fresh: PartitionKey[] = [];
    const { index } = this.plan;
    let last: WriteValue | undefined;
    for (let r = 0; r < rows.length; r++) {
      const value = rows[r]![index]!;
      // Rows often arrive grouped by the partition column: skip repeats without work.
      if (r > 0 && value === last) continue;
      last = value;
      const key = this.keyOf(value);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      if (this.seen.size > maxPartitions) {
        throw new AppError(
          'invalid-input',
          `Column “${this.plan.column.name}” has more than ${maxPartitions} distinct ${this.plan.style === 'month' ? 'months' : 'values'}: too many partitions`,
          'Partition by a column with fewer distinct values, or write without partitions.',
        );
      }
      fresh.push({ value: key, suffix: suffixOf(key, this.plan.style) });
    }
    return fresh;
  }

  private keyOf(value: WriteValue): string | null {
    if (value === null) return null;
    const { column, style } = this.plan;
    if (style === 'month') {
      const text =
        typeof value === 'string' || typeof value === 'number'
          ? naiveTimestamp(value, column.name)
          : String(value);
      if (!/^\d{4}-\d\d/.test(text)) throw badValue(column.name, text, 'is not a date');
      return text.slice(0, 7);
    }
    if (value instanceof Uint8Array) return Buffer.from(blobBytes(value)).toString('hex');
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    return String(value);
  }
}

function suffixOf(key: string | null, style: PartitionStyle): string {
  if (key === null) return 'null';
  if (style === 'month') return key.replace('-', '_');
  if (/^[a-z0-9_]{1,24}$/.test(key)) return key;
  // Anything else gets a stable short name from its text (FNV-1a), unique enough per table.
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return `p${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/** First day of the month `YYYY-MM` and of the month after it, as `YYYY-MM-DD`. */
export function monthBounds(month: string): [string, string] {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const next =
    m === 12 ? `${year + 1}-01` : `${month.slice(0, 5)}${String(m + 1).padStart(2, '0')}`;
  return [`${month}-01`, `${next}-01`];
}
