/**
 * A dataset's columns, read from its first rows: names from the header (CSV, TSV), the keys seen
 * (JSON Lines) or the file's schema (Parquet); types inferred from up to `sampleSize` rows; the
 * partition columns typed from their folder values. The key is a convention, not a constraint:
 * a first column named `id` whose sampled values are present and distinct (the cache checks the
 * whole file and drops the key if it is not unique after all).
 */
import type { ColumnsInfo, DatasetSpec } from './dataset.js';
import { columnNames } from '../../ingest/infer.js';
import { TypeGuess } from './infer.js';
import { objectColumns, objectRows } from './objects.js';
import { parquetColumns, parquetMetadata } from './parquet.js';
import { fileRecords, rowMapper } from './rows.js';
import type { FileSource } from './source.js';
import type { DataColumn } from './values.js';

export const sampleSize = 1_000;

const nativeNames = { csv: 'CSV', tsv: 'TSV', jsonl: 'JSON' } as const;

export interface Sample extends ColumnsInfo {
  /** Rows read; when `complete`, the dataset has exactly this many. */
  rows: number;
  complete: boolean;
}

export async function sampleColumns(
  source: FileSource,
  spec: DatasetSpec,
  signal?: AbortSignal,
): Promise<Sample> {
  if (spec.objects) {
    // A listing's columns are fixed, and counting it is listing it.
    const rows = (await objectRows(source, spec.objects.prefix, signal)).length;
    return { ...structuredClone(objectColumns), rows, complete: true };
  }
  if (spec.manifest) {
    // Strata wrote it: the manifest knows the types and the row count, so nothing is read.
    const { columns, key, rows } = spec.manifest;
    const fileColumns = columns.length - spec.partitionKeys.length;
    return { columns: structuredClone(columns), fileColumns, key: [...key], rows, complete: true };
  }
  const first = spec.files[0];
  let fileColumns: DataColumn[] = [];
  if (first && spec.format === 'parquet') {
    fileColumns = parquetColumns(await parquetMetadata(source, first, signal));
  } else if (first) {
    fileColumns = (await textColumnNames(source, spec, signal)).map((name) => ({
      name,
      type: 'text',
      nativeType: nativeNames[spec.format as keyof typeof nativeNames],
      nullable: true,
    }));
  }
  const fileNames = new Set(fileColumns.map((c) => c.name.toLowerCase()));
  // A partition key also written inside the files is read from the files.
  const partitionKeys = spec.partitionKeys.filter((k) => !fileNames.has(k.toLowerCase()));
  const partitionColumns = partitionKeys.map((key) => partitionColumn(spec, key));
  const info: ColumnsInfo = {
    columns: [...fileColumns, ...partitionColumns],
    fileColumns: fileColumns.length,
    key: [],
  };

  const rows = await readSample(source, spec, info, signal);
  const guesses = info.columns.map(() => new TypeGuess());
  const observe = spec.format === 'jsonl' ? 'observeValue' : 'observeText';
  for (const row of rows) {
    for (let i = 0; i < info.fileColumns; i++) {
      const value = row[i] ?? null;
      if (spec.format === 'parquet') {
        if (value === null) guesses[i]!.nulls++;
      } else guesses[i]![observe](value as string | null);
    }
  }
  info.columns.forEach((column, i) => {
    if (i >= info.fileColumns) return;
    if (spec.format !== 'parquet') {
      const { type, scale } = guesses[i]!.result();
      column.type = type;
      if (scale !== undefined) column.scale = scale;
    }
    // Parquet declares nullability; for text it is what the sample shows (the cache confirms it).
    if (spec.format !== 'parquet') column.nullable = guesses[i]!.nulls > 0 || rows.length === 0;
  });
  info.key = sampledKey(info.columns, rows);
  const complete = rows.length < sampleSize && spec.format !== 'parquet';
  return { ...info, rows: rows.length, complete };
}

async function textColumnNames(
  source: FileSource,
  spec: DatasetSpec,
  signal?: AbortSignal,
): Promise<string[]> {
  const names: string[] = [];
  const seen = new Set<string>();
  let rows = 0;
  for (const file of spec.files) {
    for await (const batch of fileRecords(
      source,
      spec,
      file,
      { skip: 0, limit: undefined },
      signal,
    )) {
      if (batch.kind === 'arrays') return columnNames(batch.header);
      for (const row of batch.rows) {
        for (const key of Object.keys(row)) {
          if (!seen.has(key)) {
            seen.add(key);
            names.push(key);
          }
        }
      }
      rows += batch.rows.length;
      if (rows >= sampleSize) return names;
    }
  }
  return names;
}

async function readSample(
  source: FileSource,
  spec: DatasetSpec,
  info: ColumnsInfo,
  signal?: AbortSignal,
): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for (const file of spec.files) {
    const map = rowMapper(info, spec, file);
    const window = { skip: 0, limit: sampleSize - rows.length };
    for await (const batch of fileRecords(source, spec, file, window, signal)) {
      for (const row of map(batch)) {
        rows.push(row);
        if (rows.length >= sampleSize) return rows;
      }
    }
  }
  return rows;
}

function partitionColumn(spec: DatasetSpec, key: string): DataColumn {
  const guess = new TypeGuess();
  const index = spec.partitionKeys.indexOf(key);
  for (const file of spec.files) {
    const value = file.partition[index];
    guess.observeText(value === undefined || value === '__HIVE_DEFAULT_PARTITION__' ? null : value);
  }
  const values = spec.files.map((f) => f.partition[index]).filter((v) => v !== undefined);
  // Folder names are typed plainly — integer (month=01 too), date or text: a partition value is
  // a label to filter by, not a measurement.
  const plain = values.every((v) => v === '__HIVE_DEFAULT_PARTITION__' || /^-?\d{1,15}$/.test(v))
    ? 'integer'
    : guess.result().type === 'date'
      ? 'date'
      : 'text';
  return { name: key, type: plain, nativeType: 'partition', nullable: guess.nulls > 0 };
}

function sampledKey(columns: readonly DataColumn[], rows: readonly unknown[][]): string[] {
  const first = columns[0];
  if (!first || first.name.toLowerCase() !== 'id') return [];
  if (!['integer', 'bigint', 'text'].includes(first.type)) return [];
  const seen = new Set<unknown>();
  for (const row of rows) {
    const value = row[0];
    if (value === null || value === undefined || seen.has(value)) return [];
    seen.add(value);
  }
  return [first.name];
}
