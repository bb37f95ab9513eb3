/**
 * Sorting and filtering in the main process, for datasets Redis cannot sort or filter itself.
 * Used only over a bounded number of rows (see `maxInMemoryRows`); semantics follow the SQL
 * engines: filters coerce their text to the column's type, `contains` is case-insensitive, NULLs
 * sort first ascending, and ties are broken by the dataset's key, so the order is total.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column, Filter, ViewSpec } from '../../../shared/model.js';
import { coerce, columnNamed } from '../sql/view-query.js';
import type { RawCell, RawRow } from './values.js';

/** Above this many rows a sorted or filtered view would cost too much memory and time. */
export const maxInMemoryRows = 100_000;

export function needsInMemoryView(view: ViewSpec): boolean {
  return view.sort.length > 0 || view.filters.length > 0;
}

export function tooManyToSort(what: string): AppError {
  return new AppError(
    'invalid-input',
    `Sorting or filtering ${what} needs a narrower key pattern: Redis cannot sort or filter on the server, and it holds more than ${maxInMemoryRows.toLocaleString('en')} matching items`,
    'Open a narrower pattern (e.g. `user:1*` instead of `user:*`) and sort or filter that.',
  );
}

/** Checks the view's column names and filter values before any reading is done. */
export function checkView(columns: readonly Column[], view: ViewSpec): void {
  for (const s of view.sort) columnNamed(columns, s.column);
  for (const f of view.filters) compileFilter(columns, f);
}

export function applyView(
  columns: readonly Column[],
  key: readonly string[],
  rows: RawRow[],
  view: ViewSpec,
): RawRow[] {
  const tests = view.filters.map((f) => compileFilter(columns, f));
  const kept = tests.length ? rows.filter((row) => tests.every((test) => test(row))) : rows;
  if (view.sort.length === 0) return kept;
  const sorted = new Set(view.sort.map((s) => s.column));
  const tieBreak = key.filter((k) => !sorted.has(k)).map((k) => ({ column: k, direction: 'asc' }));
  const terms = [...view.sort, ...tieBreak].map((s) => {
    const column = columnNamed(columns, s.column);
    return {
      index: columns.indexOf(column),
      compare: comparatorFor(column),
      sign: s.direction === 'desc' ? -1 : 1,
    };
  });
  // Array.prototype.sort is stable, so rows equal even on the key keep their natural order.
  return [...kept].sort((a, b) => {
    for (const { index, compare, sign } of terms) {
      const order = compare(a[index] ?? null, b[index] ?? null);
      if (order !== 0) return order * sign;
    }
    return 0;
  });
}

type RowTest = (row: RawRow) => boolean;

function compileFilter(columns: readonly Column[], filter: Filter): RowTest {
  const column = columnNamed(columns, filter.column);
  const index = columns.indexOf(column);
  const numeric = isNumeric(column);
  const compareCells = comparatorFor(column);
  const typed = (text: string) => {
    try {
      const value = coerce(column, text);
      return numeric ? Number(value) : value;
    } catch (error) {
      // The same message the SQL engines give, naming the column the value does not fit.
      throw new AppError(
        'invalid-input',
        `A filter value does not fit column “${column.name}”: ${(error as Error).message}`,
        'Check the filter’s value against the column’s type.',
      );
    }
  };
  const cellOf = (row: RawRow): RawCell => row[index] ?? null;
  switch (filter.op) {
    case 'isNull':
      return (row) => cellOf(row) === null;
    case 'notNull':
      return (row) => cellOf(row) !== null;
    case 'eq': {
      const wanted = typed(filter.value);
      return (row) => {
        const cell = cellOf(row);
        return cell !== null && compareCells(cell, wanted) === 0;
      };
    }
    case 'contains': {
      const needle = filter.value.toLowerCase();
      return (row) => {
        const cell = cellOf(row);
        return cell !== null && !(cell instanceof Uint8Array) && textOf(cell).includes(needle);
      };
    }
    case 'range': {
      const min = filter.min?.trim() ? typed(filter.min) : undefined;
      const max = filter.max?.trim() ? typed(filter.max) : undefined;
      return (row) => {
        const cell = cellOf(row);
        if (cell === null) return false;
        return (
          (min === undefined || compareCells(cell, min) >= 0) &&
          (max === undefined || compareCells(cell, max) <= 0)
        );
      };
    }
  }
}

function textOf(cell: Exclude<RawCell, null | Uint8Array>): string {
  return String(cell).toLowerCase();
}

function isNumeric(column: Column): boolean {
  return ['integer', 'bigint', 'decimal', 'float'].includes(column.type);
}

type Comparator = (a: RawCell, b: RawCell) => number;

/**
 * NULL before everything; in numeric columns numbers (and numeric text such as decimals)
 * compare as numbers, ahead of any stray text; booleans false < true; bytes bytewise; other
 * text by code unit, as a binary collation would.
 */
export function comparatorFor(column: Column): Comparator {
  const numeric = isNumeric(column);
  return (a, b) => {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    if (a instanceof Uint8Array || b instanceof Uint8Array) {
      return Buffer.compare(bytesOf(a), bytesOf(b));
    }
    if (numeric) {
      const x = numberOf(a);
      const y = numberOf(b);
      if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
      if (x !== undefined) return -1;
      if (y !== undefined) return 1;
    }
    if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
    const s = String(a);
    const t = String(b);
    return s < t ? -1 : s > t ? 1 : 0;
  };
}

function bytesOf(value: Exclude<RawCell, null>): Buffer {
  return value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value));
}

function numberOf(value: string | number | boolean | bigint): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
