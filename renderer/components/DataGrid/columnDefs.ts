/** react-table column definitions from a dataset's columns: ids and starting widths by type. */
import type { ColumnDef } from '@tanstack/react-table';
import type { Column, LogicalType } from '../../../shared/model';

const widthByType: Record<LogicalType, number> = {
  integer: 90,
  bigint: 130,
  decimal: 110,
  float: 110,
  boolean: 80,
  date: 110,
  timestamp: 180,
  text: 200,
  json: 240,
  blob: 120,
  unknown: 160,
};

export function columnDefs(columns: readonly Column[]): ColumnDef<unknown>[] {
  return columns.map((column) => ({
    id: column.name,
    header: column.name,
    // Wide enough for the name, the sort arrow and the filter button.
    size: Math.min(360, Math.max(widthByType[column.type], column.name.length * 7.5 + 52)),
    minSize: 48,
    maxSize: 2000,
  }));
}
