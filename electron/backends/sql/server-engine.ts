/**
 * What a client/server SQL engine (PostgreSQL, MySQL/MariaDB) supplies so that one shared
 * reader (server-backend.ts) can page, count and fetch cells for it. The engine owns its pool,
 * its catalog queries, cancellation and error translation; the reader owns the paging logic.
 */
import type { DatasetPath, DatasetSchema, TreeNode } from '../../../shared/model.js';
import type { QueryOptions } from '../backend.js';
import type { SqlDialect } from './dialect.js';
import type { RangeChecksumDialect } from './range-checksum.js';

export type SqlParam = string | number | boolean;

export interface ServerDataset {
  /** The quoted, schema-qualified name, ready to splice into SQL. */
  qualified: string;
  described: DatasetSchema;
  /** Quoted expressions ending every ORDER BY so the order is total (key, ctid, or all columns). */
  tieBreak: string[];
  /** The single key column usable for keyset paging, when the dataset has one. */
  keysetColumn?: string;
}

export interface SqlEngine {
  readonly dialect: SqlDialect;
  /** How the engine checksums key ranges in SQL (range-checksum.ts), when it can. */
  readonly rangeChecksums?: RangeChecksumDialect;
  /** Runs one read and answers its rows as arrays; errors arrive already as AppErrors. */
  query(sql: string, params: readonly SqlParam[], options?: QueryOptions): Promise<unknown[][]>;
  /**
   * Runs one read and streams its rows as arrays, about `batchRows` at a time, reading ahead
   * of the consumer by a bounded amount (a cursor, a paused socket); for scans.
   */
  stream?(
    sql: string,
    params: readonly SqlParam[],
    options: QueryOptions & { batchRows: number },
  ): AsyncIterable<unknown[][]>;
  tree(options?: QueryOptions): Promise<TreeNode[]>;
  /** Catalog lookup for one dataset; throws `not-found` naming it when absent. */
  lookup(path: DatasetPath, options?: QueryOptions): Promise<ServerDataset>;
  close(): Promise<void>;
}
