/**
 * The one interface every store is browsed through. What differs between engines is answered by
 * `capabilities`, never by asking which engine a connection is; engine code stays in its folder.
 */
import type {
  Capabilities,
  CellDetail,
  DatasetPath,
  DatasetSchema,
  Page,
  TreeNode,
  ViewSpec,
} from '../../shared/model.js';
import type { DatasetWriter } from './writer.js';
import type { EncodedRows, KeyRange, RowBatches, RowValue, ScanOptions } from './scan.js';

export interface QueryOptions {
  signal?: AbortSignal;
}

export interface RangeChecksumRequest {
  /** Key columns ranges are over. */
  key: readonly string[];
  /** Columns the checksum covers (key columns included), by name. */
  columns: readonly string[];
  ranges: readonly KeyRange[];
  /** Which row hash (one of `Backend.rangeChecksumHashes`); the portable `md5-60` when absent. */
  hash?: string;
}

/** Where to cut one key range into about `segments` ranges of similar row counts. */
export interface KeyBoundariesRequest {
  key: readonly string[];
  range: KeyRange;
  segments: number;
  /** Rows in the range when the caller knows them (saves a count for non-integer keys). */
  rows?: number;
}

export interface RangeChecksum {
  rows: number;
  /** Opaque; equal for equal rows in any engine. */
  checksum: string;
}

export interface Backend {
  readonly capabilities: Capabilities;
  /** Schemas (or databases, buckets…) and their datasets, with row counts where cheap. */
  tree(options?: QueryOptions): Promise<TreeNode[]>;
  describe(path: DatasetPath, options?: QueryOptions): Promise<DatasetSchema>;
  /** Rows `offset`..`offset+limit` of the dataset as the view sorts and filters it. */
  page(
    path: DatasetPath,
    view: ViewSpec,
    offset: number,
    limit: number,
    options?: QueryOptions,
  ): Promise<Page>;
  count(path: DatasetPath, view: ViewSpec, options?: QueryOptions): Promise<number>;
  /** The full value of one cell, for the value viewer. */
  cell(
    path: DatasetPath,
    view: ViewSpec,
    row: number,
    column: string,
    options?: QueryOptions,
  ): Promise<CellDetail>;
  /**
   * Every row (or one key range) as full values, streamed in key order — for snapshots and
   * diffs (see scan.ts). Engines without it are read through `page` by versions/scan-rows.ts.
   */
  scan?(path: DatasetPath, options: ScanOptions): RowBatches;
  /** `scan`'s stream in the canonical row encoding, from engines that read in a worker thread. */
  scanEncoded?(path: DatasetPath, options: ScanOptions): AsyncIterable<EncodedRows>;
  /**
   * A digest that changes whenever the dataset's rows may have (its file versions, its pages),
   * cheap next to reading them: equal fingerprints promise equal rows, so a snapshot of a dataset
   * unchanged since its parent reuses the parent's chunks without reading a row. Undefined where
   * the store cannot promise that at the moment (it is never a guess).
   */
  fingerprint?(path: DatasetPath, options?: QueryOptions): Promise<string | undefined>;
  /**
   * Row count and checksum of each key range, computed by the store itself so that two large
   * datasets can be compared without moving their rows (diff's range bisection). Checksums of
   * the same rows are equal across engines. See diff/range-bisect.ts.
   */
  checksumRanges?(
    path: DatasetPath,
    request: RangeChecksumRequest,
    options?: QueryOptions,
  ): Promise<RangeChecksum[]>;
  /**
   * The row hashes `checksumRanges` can use, fastest first: `md5-60` (range-checksum-rules.ts),
   * equal across engines, and engine-native ones, equal only between stores of that engine.
   */
  readonly rangeChecksumHashes?: readonly string[];
  /**
   * Up to `segments - 1` keys, ascending, cutting `range` into segments: arithmetic on one integer
   * key (min/max), otherwise every n-th key in order. For diff's range bisection.
   */
  keyBoundaries?(
    path: DatasetPath,
    request: KeyBoundariesRequest,
    options?: QueryOptions,
  ): Promise<RowValue[][]>;
  /** The write side, for stores Strata can write to (`capabilities.write`). */
  readonly writer?: DatasetWriter;
  close(): Promise<void>;
}

/** How an engine is opened from its saved configuration. */
export interface BackendFactory<Config> {
  readonly capabilities: Capabilities;
  /** A human-readable, secret-free description of where the connection points. */
  describeTarget(config: Config): string;
  /** Checks the configuration can be used, without changing anything, before it is saved. */
  validate(config: Config, options: { readOnly: boolean }): Promise<void>;
  open(config: Config): Promise<Backend>;
}
