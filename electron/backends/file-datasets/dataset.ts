/**
 * A dataset as the reading layer sees it: one file, or every file under a hive-partitioned folder,
 * all in one format. Plain data, so it crosses into the worker threads as it is.
 */
import type { DatasetFormat, FileFormat } from './formats.js';
import type { DataColumn } from './values.js';

export interface DatasetFile {
  key: string;
  size: number;
  version: string;
  format: FileFormat;
  /** Values of the dataset's partition keys for this file, as written in its folder names. */
  partition: string[];
}

export interface DatasetSpec {
  /** The dataset's path in the tree, joined by `/`. */
  id: string;
  format: DatasetFormat;
  files: DatasetFile[];
  partitionKeys: string[];
  /** For a listing of objects: the folder listed, and a hash of what it held. */
  objects?: { prefix: string; version: string };
  /** For a dataset Strata wrote: what its manifest says, used instead of sampling the files. */
  manifest?: ManifestInfo;
}

export interface ManifestInfo {
  /** Every column with its type: the files' columns in order, then the partition columns. */
  columns: DataColumn[];
  key: string[];
  rows: number;
  /** Counts the dataset's publishes: 1 at create, one more per append or replace. */
  version: number;
  uploadId: string;
}

export interface ColumnsInfo {
  columns: DataColumn[];
  /** How many of `columns` come from the files; the partition columns follow them. */
  fileColumns: number;
  key: string[];
}

/** Rows to skip and to hand out; `limit` undefined reads to the end. */
export interface RowWindow {
  skip: number;
  limit: number | undefined;
}

/** What changes when any file of the dataset does: the cache's identity. */
export function datasetVersion(spec: DatasetSpec): string {
  return JSON.stringify([
    spec.format,
    spec.partitionKeys,
    spec.files.map((f) => [f.key, f.size, f.version]),
    spec.objects?.version ?? null,
    spec.manifest ? [spec.manifest.version, spec.manifest.uploadId] : null,
  ]);
}
