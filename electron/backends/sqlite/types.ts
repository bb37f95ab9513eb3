/** SQLite declared types → logical types, following SQLite's own affinity rules where they apply. */
import type { LogicalType } from '../../../shared/model.js';

export function logicalTypeOfSqlite(declared: string): LogicalType {
  const t = declared.toUpperCase();
  if (t === '') return 'unknown';
  if (t.includes('BOOL')) return 'boolean';
  if (t.includes('BIGINT')) return 'bigint';
  if (t.includes('INT')) return 'integer';
  if (t.includes('TIMESTAMP') || t.includes('DATETIME')) return 'timestamp';
  if (t.includes('DATE')) return 'date';
  if (t.includes('JSON')) return 'json';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB')) return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'float';
  if (t.includes('DEC') || t.includes('NUMERIC')) return 'decimal';
  return 'unknown';
}
