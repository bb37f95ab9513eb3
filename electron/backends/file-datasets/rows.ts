/**
 * Rows of a dataset as arrays aligned to its columns: every file in order, each mapped by column
 * name (hive files may differ in column order), with the partition values appended. Windows skip
 * whole Parquet files and row groups by their metadata; text formats are streamed and stop as
 * soon as the window is full, so the first page of a huge file reads only its first bytes.
 */
import type { ColumnsInfo, DatasetFile, DatasetSpec, RowWindow } from './dataset.js';
import { hiveNull } from './hive.js';
import { columnNames } from '../../ingest/infer.js';
import { objectRows } from './objects.js';
import { parquetColumns, parquetMetadata, parquetRowCount, parquetRows } from './parquet.js';
import type { FileSource } from './source.js';
import { csvRecords, jsonlRecords, type RecordBatch } from './text-records.js';

export async function* fileRecords(
  source: FileSource,
  spec: DatasetSpec,
  file: DatasetFile,
  window: RowWindow,
  signal?: AbortSignal,
): AsyncGenerator<RecordBatch> {
  switch (spec.format) {
    case 'csv':
      yield* csvRecords(source, file, ',', signal, spec.manifest !== undefined);
      return;
    case 'tsv':
      yield* csvRecords(source, file, '\t', signal);
      return;
    case 'jsonl':
      yield* jsonlRecords(source, file, signal);
      return;
    case 'objects':
      return;
    case 'parquet': {
      const header = parquetColumns(await parquetMetadata(source, file, signal)).map((c) => c.name);
      for await (const rows of parquetRows(source, file, window, signal)) {
        yield { kind: 'arrays', header, rows };
      }
    }
  }
}

export async function* datasetRows(
  source: FileSource,
  spec: DatasetSpec,
  info: ColumnsInfo,
  window: RowWindow,
  signal?: AbortSignal,
): AsyncGenerator<unknown[][]> {
  if (spec.objects) {
    const rows = await objectRows(source, spec.objects.prefix, signal);
    const end = Math.min(
      rows.length,
      window.limit === undefined ? rows.length : window.skip + window.limit,
    );
    // Batched like file rows, so a cache build inserts them in transactions of the usual size.
    for (let i = window.skip; i < end; i += 5_000) yield rows.slice(i, Math.min(i + 5_000, end));
    return;
  }
  let skip = window.skip;
  let remaining = window.limit ?? Number.POSITIVE_INFINITY;
  for (const file of spec.files) {
    if (remaining <= 0) return;
    // Parquet files are skipped, and windows started, by their metadata, not by reading rows.
    let fileWindow: RowWindow = { skip: 0, limit: undefined };
    if (spec.format === 'parquet') {
      const rows = parquetRowCount(await parquetMetadata(source, file, signal));
      if (skip >= rows) {
        skip -= rows;
        continue;
      }
      fileWindow = { skip, limit: Number.isFinite(remaining) ? remaining : undefined };
      skip = 0;
    }
    const map = rowMapper(info, spec, file);
    for await (const batch of fileRecords(source, spec, file, fileWindow, signal)) {
      let rows = map(batch);
      if (skip > 0) {
        const skipped = Math.min(skip, rows.length);
        skip -= skipped;
        rows = rows.slice(skipped);
      }
      if (rows.length > remaining) rows = rows.slice(0, remaining);
      remaining -= rows.length;
      if (rows.length > 0) yield rows;
      if (remaining <= 0) return;
    }
  }
}

/** Maps one file's records onto the dataset's columns. */
export function rowMapper(
  info: ColumnsInfo,
  spec: DatasetSpec,
  file: DatasetFile,
): (batch: RecordBatch) => unknown[][] {
  const names = info.columns.slice(0, info.fileColumns).map((c) => c.name);
  const partition = spec.partitionKeys.length
    ? info.columns.slice(info.fileColumns).map((c) => {
        const value = file.partition[spec.partitionKeys.indexOf(c.name)];
        return value === undefined || value === hiveNull ? null : value;
      })
    : [];
  let lastHeader: string[] | undefined;
  let positions: number[] = [];
  let identity = false;
  return (batch) => {
    if (batch.kind === 'objects') {
      return batch.rows.map((row) => {
        const out: unknown[] = names.map((name) => row[name] ?? null);
        for (const value of partition) out.push(value);
        return out;
      });
    }
    if (batch.header !== lastHeader) {
      lastHeader = batch.header;
      const header = columnNames(batch.header);
      positions = names.map((name) => header.indexOf(name));
      identity = partition.length === 0 && positions.every((p, i) => p === i);
    }
    // The common case — one file, columns in their own order — keeps the parsed arrays as they are.
    if (identity) return batch.rows;
    return batch.rows.map((row) => {
      const out: unknown[] = positions.map((p) => (p < 0 ? null : (row[p] ?? null)));
      for (const value of partition) out.push(value);
      return out;
    });
  };
}
