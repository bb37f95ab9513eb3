/**
 * Reads a whole dataset through its Backend in a stable order, page by page, as full values.
 *
 * `page()` is made for the grid: it cuts text past 1,000 characters and sends only a blob's first
 * bytes. A snapshot needs the values themselves, so each cut cell is fetched again through
 * `cell()` (the value viewer's path), which gives text up to 1 MiB and blobs up to 64 KiB whole.
 * Past those limits the value is kept as far as it came and the snapshot is marked lossy. Only
 * stores without `Backend.scan` are read this way (scan-rows.ts); the SQL engines scan whole.
 */
import type { Backend } from '../backends/backend.js';
import { AppError } from '../../shared/errors.js';
import type {
  CellValue,
  DatasetPath,
  DatasetSchema,
  Filter,
  ViewSpec,
} from '../../shared/model.js';
import type { RowValue } from './canonical.js';

export const pageRows = 5_000;

export interface ReadOptions {
  signal: AbortSignal;
  /** Called with each page's rows, in order; the next page is fetched meanwhile. */
  onPage(rows: RowValue[][]): Promise<void>;
  /**
   * A unique integer key column the view sorts by: pages are then read by key range (`key ≥ last
   * key seen`) instead of by offset — a sequential index scan in every SQL store, where deep
   * offsets cost a sort or a materialised view. See `keysetColumn`.
   */
  keyset?: string;
}

export interface ReadSummary {
  rows: number;
  /** Cells whose value could not be read in full. */
  lossyCells: number;
}

/** The dataset's own key, when it is one integer column (unique, exactly comparable). */
export function keysetColumn(schema: DatasetSchema, key: readonly string[]): string | undefined {
  if (key.length !== 1 || schema.key.length !== 1 || schema.key[0] !== key[0]) return undefined;
  const type = schema.columns.find((c) => c.name === key[0])?.type;
  return type === 'integer' || type === 'bigint' ? key[0] : undefined;
}

interface Fetched {
  cells: CellValue[][];
  view: ViewSpec;
  /** Where `cells[0]` is in `view` (for `cell()`), and whether the page was full. */
  offset: number;
  full: boolean;
}

export async function readDataset(
  backend: Backend,
  path: DatasetPath,
  view: ViewSpec,
  options: ReadOptions,
): Promise<ReadSummary> {
  const { signal, keyset } = options;
  const summary: ReadSummary = { rows: 0, lossyCells: 0 };
  const keyIndex =
    keyset === undefined
      ? -1
      : (await backend.describe(path, { signal })).columns.findIndex((c) => c.name === keyset);
  let offset = 0;
  const fetchPage = async (after: number | undefined): Promise<Fetched> => {
    if (after === undefined) {
      const cells = (await backend.page(path, view, offset, pageRows, { signal })).rows;
      const fetched = { cells, view, offset, full: cells.length === pageRows };
      offset += cells.length;
      return fetched;
    }
    // Keyset: rows from the last key seen on (one more, as that row comes again), first skipped.
    const range: ViewSpec = {
      ...view,
      filters: [...view.filters, { column: keyset!, op: 'range', min: String(after) }],
    };
    const cells = (await backend.page(path, range, 0, pageRows + 1, { signal })).rows;
    const full = cells.length === pageRows + 1;
    const first = cells[0]?.[keyIndex];
    if (typeof first === 'number' && first < after) {
      throw new AppError('internal', 'The store returned rows out of key order for a snapshot');
    }
    if (first === after) return { cells: cells.slice(1), view: range, offset: 1, full };
    return { cells, view: range, offset: 0, full };
  };
  /** The key to continue after, or undefined to continue by offset. */
  const nextAfter = (cells: CellValue[][]): number | undefined => {
    if (keyIndex < 0) return undefined;
    const last = cells.at(-1)?.[keyIndex];
    return typeof last === 'number' && Number.isSafeInteger(last) ? last : undefined;
  };
  let next = fetchPage(undefined);
  next.catch(() => undefined);
  for (;;) {
    const page = await next;
    if (signal.aborted) throw new AppError('cancelled', 'Cancelled');
    // Ask for the next page before working on this one, so the store reads while we encode.
    if (page.full) {
      const after = nextAfter(page.cells);
      if (after === undefined && keyIndex >= 0 && page.view !== view) {
        throw new AppError('internal', 'A key past 2^53 cannot continue a keyed read');
      }
      next = fetchPage(after);
      // If this page fails (or is cancelled), that one is never awaited: not an unhandled error.
      next.catch(() => undefined);
    }
    // With a key, a cut cell is fetched again by its key (`key = value`: one indexed row) — by
    // its index in a key-range view, a deep row would make the store sort that view for one cell.
    const locate: Locate = (r) => {
      const key = keyIndex >= 0 ? page.cells[r]![keyIndex] : undefined;
      if (typeof key !== 'number') return { view: page.view, row: page.offset + r };
      const one: Filter = { column: keyset!, op: 'eq', value: String(key) };
      return { view: { ...view, filters: [...view.filters, one] }, row: 0 };
    };
    const rows = await toRows(backend, path, locate, page.cells, summary, signal);
    await options.onPage(rows);
    summary.rows += rows.length;
    if (!page.full) return summary;
  }
}

/** Where a row of a page can be fetched again by `cell()`: a view and the row's index in it. */
type Locate = (r: number) => { view: ViewSpec; row: number };

async function toRows(
  backend: Backend,
  path: DatasetPath,
  locate: Locate,
  cells: CellValue[][],
  summary: ReadSummary,
  signal: AbortSignal,
): Promise<RowValue[][]> {
  const rows = cells as RowValue[][];
  for (let r = 0; r < cells.length; r++) {
    const row = cells[r]!;
    for (let c = 0; c < row.length; c++) {
      const cell = row[c]!;
      if (cell === null || typeof cell !== 'object') continue;
      if ('$bigint' in cell) {
        rows[r]![c] = BigInt(cell.$bigint);
        continue;
      }
      rows[r]![c] = await fullValue(backend, path, locate(r), c, cell, summary, signal);
    }
  }
  return rows;
}

async function fullValue(
  backend: Backend,
  path: DatasetPath,
  at: { view: ViewSpec; row: number },
  columnIndex: number,
  cell: Exclude<CellValue, null | string | number | boolean | { $bigint: string }>,
  summary: ReadSummary,
  signal: AbortSignal,
): Promise<RowValue> {
  const schema = await backend.describe(path, { signal });
  const column = schema.columns[columnIndex]!.name;
  const detail = await backend.cell(path, at.view, at.row, column, { signal });
  if (detail.truncated) summary.lossyCells++;
  if ('$blob' in cell) return Buffer.from(detail.text ?? '', 'hex');
  return detail.text ?? cell.$text;
}
