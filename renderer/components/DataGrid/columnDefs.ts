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

const typeText = (column: Column) => column.nativeType || column.type;

export function columnDefs(columns: readonly Column[]): ColumnDef<unknown>[] {
  return columns.map((column) => ({
    id: column.name,
    header: column.name,
    // Wide enough for the name and sort arrow (the type sits under them, cut with an ellipsis
    // past 18 characters; the header's tooltip has it whole) and the filter button.
    size: Math.min(
      360,
      Math.max(
        widthByType[column.type],
        Math.max(column.name.length * 7.5 + 12, Math.min(18, typeText(column).length) * 6.3) + 44,
      ),
    ),
    minSize: 48,
    maxSize: 2000,
  }));
}
