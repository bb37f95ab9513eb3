/** MySQL/MariaDB column types → logical types (from information_schema.COLUMNS). */
import type { LogicalType } from '../../../shared/model.js';

const byDataType: Record<string, LogicalType> = {
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  integer: 'integer',
  year: 'integer',
  bigint: 'bigint',
  decimal: 'decimal',
  numeric: 'decimal',
  float: 'float',
  double: 'float',
  real: 'float',
  date: 'date',
  datetime: 'timestamp',
  timestamp: 'timestamp',
  json: 'json',
  binary: 'blob',
  varbinary: 'blob',
  tinyblob: 'blob',
  blob: 'blob',
  mediumblob: 'blob',
  longblob: 'blob',
  bit: 'blob',
  geometry: 'blob',
};

/** `dataType` is DATA_TYPE (`int`), `columnType` is COLUMN_TYPE (`int(10) unsigned`). */
export function logicalTypeOfMysql(dataType: string, columnType: string): LogicalType {
  const type = dataType.toLowerCase();
  // BOOLEAN is an alias MySQL stores as tinyint(1); that display width is the only trace of it.
  if (type === 'tinyint' && /^tinyint\(1\)/i.test(columnType)) return 'boolean';
  // An unsigned int can pass 2^31 but not 2^53, so it stays an integer; unsigned bigint is bigint.
  return byDataType[type] ?? 'text';
}
