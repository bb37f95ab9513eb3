/**
 * The write side of a store, used by upload (ingest) and, later, by snapshot restore. Every
 * write is atomic: rows go somewhere private first (a staging table, a temporary collection,
 * temporary keys, a temporary prefix) and become visible in one step at `commit`. `abort` — or a
 * crash before `commit` — leaves the target exactly as it was; leftovers of a crash are removed
 * by `cleanupLeftovers` the next time the store is opened for writing.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Column, DatasetPath } from '../../shared/model.js';
import type { RowEncoding } from './row-encoding.js';

export type WriteMode = 'create' | 'append' | 'replace';

export interface WriteTarget {
  path: DatasetPath;
  mode: WriteMode;
  /** Columns in the order rows arrive; types are logical, each engine maps them to its own. */
  columns: Column[];
  /** Key columns (a primary key where the store has one); may be empty. */
  key: string[];
  /** Hive-style / declarative partitioning columns; only when `capabilities.partitions`. */
  partitionBy: string[];
}

/** Values in a row are already typed by the ingest pipeline (see electron/ingest/values.ts). */
export type WriteValue = null | string | number | bigint | boolean | Uint8Array;

export interface WriteSession {
  /** Appends rows (arrays aligned to `WriteTarget.columns`). Resolves when they are accepted. */
  write(rows: WriteValue[][]): Promise<void>;
  /**
   * Optional: a port on which another thread sends rows straight to the store's writer thread,
   * packed (see row-port.ts), so they need not pass through the main thread. Rows sent on it
   * count as written once that thread's credits say so.
   */
  rowPort?(): Promise<MessagePort>;
  /**
   * Optional: the format in which this session also takes rows another thread has already
   * encoded (row-encoding.ts), so they need not cross to the main thread as values. Undefined
   * when it needs the values themselves (a partitioned load looks at each row's partition key).
   */
  rowEncoding?(): RowEncoding | undefined;
  /** Sends `rows` rows encoded in `rowEncoding()`'s format; resolves when they are accepted. */
  writeEncoded?(bytes: Uint8Array, rows: number): Promise<void>;
  /** Publishes everything written, in one atomic step. Returns the rows now in the target. */
  commit(): Promise<{ rowsWritten: number }>;
  /** Discards everything written; the target is unchanged. Safe to call more than once. */
  abort(): Promise<void>;
}

export interface DatasetWriter {
  /**
   * Starts a write. Checks up front what can be checked (the target exists for append/replace
   * and its columns match; it does not exist for create) and throws an AppError otherwise.
   */
  begin(target: WriteTarget, options?: { signal?: AbortSignal }): Promise<WriteSession>;
}
