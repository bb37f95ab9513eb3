/**
 * What every Redis dataset (key browser, one key's contents, hashes as a table) supplies to the
 * backend: its schema, rows in Redis's own order, a count, and all rows when there are few
 * enough to sort and filter in memory. Views are applied by the backend, not here.
 */
import type { Column, DatasetSchema } from '../../../shared/model.js';
import type { RawRow } from './values.js';

export interface RedisDataset {
  readonly schema: DatasetSchema;
  /** What it holds, for messages: “keys matching user:*”. */
  readonly label: string;
  /** Rows `offset`..`offset+limit` in Redis's order (SCAN order, list index, score, stream id). */
  read(offset: number, limit: number, signal?: AbortSignal): Promise<RawRow[]>;
  count(signal?: AbortSignal): Promise<number>;
  /** Every row, or undefined when there are more than `max`. */
  all(max: number, signal?: AbortSignal): Promise<RawRow[] | undefined>;
}

export function column(
  name: string,
  type: Column['type'],
  nativeType: string,
  nullable = false,
): Column {
  return { name, type, nativeType, nullable };
}
