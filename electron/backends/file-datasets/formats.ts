/** Which data files Strata opens, told by their names: the extension, then an optional `.gz`. */

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';
/** What a dataset is read from: data files, or a listing of objects (see objects.ts). */
export type DatasetFormat = DataFormat | 'objects';

export interface FileFormat {
  format: DataFormat;
  gzip: boolean;
}

const extensions: Record<string, DataFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
  pq: 'parquet',
};

/** The format of a file named `name`, or undefined when it is not a data file we read. */
export function formatOf(name: string): FileFormat | undefined {
  const lower = name.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const stem = gzip ? lower.slice(0, -3) : lower;
  const dot = stem.lastIndexOf('.');
  if (dot < 0) return undefined;
  const format = extensions[stem.slice(dot + 1)];
  // Parquet compresses inside the file; a gzipped Parquet file cannot be read by range.
  if (!format || (gzip && format === 'parquet')) return undefined;
  return { format, gzip };
}

export const viewSuffix = '.view.json';

export function isViewFile(name: string): boolean {
  return name.toLowerCase().endsWith(viewSuffix) && name.length > viewSuffix.length;
}

/** Files written by Spark, Hadoop and friends beside the data, never data themselves. */
export function isSidecar(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.') || name.endsWith('.crc');
}

/**
 * A part file Strata's writer names (`part-00000-<upload id>.csv.gz`): read only through the
 * manifest of the dataset it belongs to, never on its own, so the parts of an upload that
 * crashed before its manifest was written are not mistaken for data.
 */
export function isStrataPart(name: string): boolean {
  return strataPart.test(name);
}

const strataPart = /^part-\d{5,}-[0-9a-z]{6,12}-[0-9a-f]{8}\.csv\.gz$/;
