/**
 * `scan` for client/server SQL engines: one statement — every column, in key order as scan.ts
 * orders keys (the engine's `orderedKey`: `COLLATE "C"` text in PostgreSQL, binary in MariaDB),
 * within the key range — streamed by the engine in batches (a cursor in PostgreSQL, a streaming
 * query in MariaDB), so memory holds a few batches whatever the table's size.
 */
import { AppError } from '../../../shared/errors.js';
import { scanValue } from '../scan-values.js';
import type { RowValue, ScanOptions } from '../scan.js';
import { BoundParams, orderedKeys, rangeCondition, type KeySqlDialect } from './key-range-sql.js';
import type { ServerDataset, SqlEngine } from './server-engine.js';
import { columnNamed } from './view-query.js';

const defaultBatchRows = 5_000;

export async function* serverScan(
  engine: SqlEngine,
  dataset: ServerDataset,
  options: ScanOptions,
): AsyncGenerator<RowValue[][]> {
  const { stream } = engine;
  if (!stream) throw new AppError('unavailable', 'This engine cannot stream a dataset’s rows');
  const columns = dataset.described.columns;
  const dialect: KeySqlDialect = engine.rangeChecksums ?? {
    ...engine.dialect,
    orderedKey: (_column, quoted) => quoted,
  };
  const key = (options.orderBy ?? dataset.described.key).map((k) => columnNamed(columns, k));
  const keys = orderedKeys(dialect, key);
  const params = new BoundParams(dialect);
  let where = '';
  if (options.range) {
    if (keys.length === 0) {
      throw new AppError('invalid-input', 'A key range needs the key columns to order by');
    }
    where = ` WHERE ${rangeCondition(keys, options.range, params)}`;
  }
  const order = keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : '';
  const list = columns.map((c) => dialect.quoteIdent(c.name)).join(', ');
  const sql = `SELECT ${list} FROM ${dataset.qualified}${where}${order}`;
  const types = columns.map((c) => c.type);
  const batches = stream(sql, params.values, {
    batchRows: options.batchRows ?? defaultBatchRows,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const rows of batches) {
    for (const row of rows)
      for (let i = 0; i < row.length; i++) row[i] = scanValue(row[i], types[i]!);
    yield rows as RowValue[][];
  }
}
