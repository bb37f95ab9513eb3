/**
 * Reads a whole dataset through its Backend in a stable order, page by page, as full values.
 *
 * `page()` is made for the grid: it cuts text past 1,000 characters and sends only a blob's first
 * bytes. A snapshot needs the values themselves, so each cut cell is fetched again through
 * `cell()` (the value viewer's path), which gives text up to 1 MiB and blobs up to 64 KiB whole.
 * Past those limits the value is kept as far as it came and the snapshot is marked lossy; a
 * Backend option to page full values would remove the limit (see the versioning notes).
 */
import type { Backend } from '../backends/backend.js';
import { AppError } from '../../shared/errors.js';
import type { CellValue, DatasetPath, ViewSpec } from '../../shared/model.js';
import type { RowValue } from './canonical.js';

export const pageRows = 5_000;

export interface ReadOptions {
  signal: AbortSignal;
  /** Called with each page's rows, in order; the next page is fetched meanwhile. */
  onPage(rows: RowValue[][]): Promise<void>;
}

export interface ReadSummary {
  rows: number;
  /** Cells whose value could not be read in full. */
  lossyCells: number;
}

export async function readDataset(
  backend: Backend,
  path: DatasetPath,
  view: ViewSpec,
  options: ReadOptions,
): Promise<ReadSummary> {
  const { signal } = options;
  const summary: ReadSummary = { rows: 0, lossyCells: 0 };
  const fetchPage = (offset: number) =>
    backend.page(path, view, offset, pageRows, { signal }).then((page) => page.rows);
  let offset = 0;
  let next = fetchPage(0);
  for (;;) {
    const cells = await next;
    if (signal.aborted) throw new AppError('cancelled', 'Cancelled');
    const full = cells.length === pageRows;
    // Ask for the next page before working on this one, so the store reads while we encode.
    if (full) next = fetchPage(offset + pageRows);
    const rows = await toRows(backend, path, view, offset, cells, summary, signal);
    await options.onPage(rows);
    summary.rows += rows.length;
    offset += cells.length;
    if (!full) return summary;
  }
}

async function toRows(
  backend: Backend,
  path: DatasetPath,
  view: ViewSpec,
  offset: number,
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
      rows[r]![c] = await fullValue(backend, path, view, offset + r, c, cell, summary, signal);
    }
  }
  return rows;
}

async function fullValue(
  backend: Backend,
  path: DatasetPath,
  view: ViewSpec,
  row: number,
  columnIndex: number,
  cell: Exclude<CellValue, null | string | number | boolean | { $bigint: string }>,
  summary: ReadSummary,
  signal: AbortSignal,
): Promise<RowValue> {
  const schema = await backend.describe(path, { signal });
  const column = schema.columns[columnIndex]!.name;
  const detail = await backend.cell(path, view, row, column, { signal });
  if (detail.truncated) summary.lossyCells++;
  if ('$blob' in cell) return Buffer.from(detail.text ?? '', 'hex');
  return detail.text ?? cell.$text;
}
