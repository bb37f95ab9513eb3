/**
 * Last touches on what leaves the backend: decimals read back from the cache (where they are
 * doubles) shown with the file's number of decimals, and schemas without internal fields.
 */
import type { CellDetail, CellValue, DatasetKind, DatasetSchema } from '../../../shared/model.js';
import type { ColumnsInfo } from './dataset.js';
import type { DataColumn } from './values.js';

export function fixDecimalCells(
  columns: readonly DataColumn[],
  rows: CellValue[][],
): CellValue[][] {
  const decimals = columns.flatMap((c, i) =>
    c.type === 'decimal' && c.scale !== undefined ? [i] : [],
  );
  if (decimals.length === 0) return rows;
  for (const row of rows) {
    for (const i of decimals) {
      const cell = row[i];
      if (typeof cell === 'number') row[i] = cell.toFixed(columns[i]!.scale);
    }
  }
  return rows;
}

export function fixDecimalDetail(columns: readonly DataColumn[], detail: CellDetail): CellDetail {
  const column = columns.find((c) => c.name === detail.column);
  if (column?.type !== 'decimal' || column.scale === undefined || detail.text === null)
    return detail;
  const n = Number(detail.text);
  if (!Number.isFinite(n) || detail.text.trim() === '') return detail;
  const text = n.toFixed(column.scale);
  return { ...detail, text, byteLength: text.length };
}

export function publicSchema(info: ColumnsInfo, kind: DatasetKind): DatasetSchema {
  return {
    columns: info.columns.map(({ name, type, nativeType, nullable }) => ({
      name,
      type,
      nativeType,
      nullable,
    })),
    key: [...info.key],
    kind,
  };
}
