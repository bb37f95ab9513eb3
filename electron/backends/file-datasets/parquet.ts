/**
 * Parquet through hyparquet, by range reads: the footer first, then only the row groups a window
 * of rows touches. Row groups are read one at a time, so memory follows the row group, not the file.
 */
import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
  type SchemaElement,
} from 'hyparquet';
import { AppError } from '../../../shared/errors.js';
import type { LogicalType } from '../../../shared/model.js';
import type { DatasetFile, RowWindow } from './dataset.js';
import type { FileSource } from './source.js';
import type { DataColumn } from './values.js';

const metadataCache = new Map<string, FileMetaData>();
const maxCachedMetadata = 256;

function asyncBuffer(source: FileSource, file: DatasetFile, signal?: AbortSignal): AsyncBuffer {
  return {
    byteLength: file.size,
    slice: async (start, end = file.size) => {
      const bytes = await source.readRange(file.key, start, end, signal);
      return bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
    },
  };
}

export async function parquetMetadata(
  source: FileSource,
  file: DatasetFile,
  signal?: AbortSignal,
): Promise<FileMetaData> {
  const id = `${source.identity}|${file.key}|${file.version}`;
  const cached = metadataCache.get(id);
  if (cached) return cached;
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(asyncBuffer(source, file, signal));
  } catch (error) {
    throw parquetError(error, source.describeKey(file.key));
  }
  metadataCache.set(id, metadata);
  if (metadataCache.size > maxCachedMetadata) {
    metadataCache.delete(metadataCache.keys().next().value as string);
  }
  return metadata;
}

export function parquetColumns(metadata: FileMetaData): DataColumn[] {
  return parquetSchema(metadata).children.map(({ element }) => {
    const { type, scale } = logicalTypeOf(element);
    const column: DataColumn = {
      name: element.name,
      type,
      nativeType: nativeTypeOf(element),
      nullable: element.repetition_type !== 'REQUIRED',
    };
    if (scale !== undefined) column.scale = scale;
    return column;
  });
}

/** Rows of one Parquet file in `window`, in batches of at most one row group. */
export async function* parquetRows(
  source: FileSource,
  file: DatasetFile,
  window: RowWindow,
  signal?: AbortSignal,
): AsyncGenerator<unknown[][]> {
  const metadata = await parquetMetadata(source, file, signal);
  const total = Number(metadata.num_rows);
  const end = window.limit === undefined ? total : Math.min(total, window.skip + window.limit);
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const from = Math.max(groupStart, window.skip);
    const to = Math.min(groupEnd, end);
    groupStart = groupEnd;
    if (from >= to) continue;
    let rows: unknown[][] = [];
    try {
      await parquetRead({
        file: asyncBuffer(source, file, signal),
        metadata,
        rowStart: from,
        rowEnd: to,
        rowFormat: 'array',
        useOffsetIndex: true,
        onComplete: (data) => {
          rows = data as unknown[][];
        },
      });
    } catch (error) {
      throw parquetError(error, source.describeKey(file.key));
    }
    yield rows;
    if (to >= end) return;
  }
}

export function parquetRowCount(metadata: FileMetaData): number {
  return Number(metadata.num_rows);
}

function logicalTypeOf(element: SchemaElement): { type: LogicalType; scale?: number } {
  if (element.num_children) return { type: 'json' };
  const logical = element.logical_type;
  switch (logical?.type) {
    case 'STRING':
    case 'ENUM':
    case 'UUID':
      return { type: 'text' };
    case 'JSON':
    case 'BSON':
    case 'VARIANT':
      return { type: 'json' };
    case 'DATE':
      return { type: 'date' };
    case 'TIMESTAMP':
      return { type: 'timestamp' };
    case 'DECIMAL':
      return { type: 'decimal', scale: logical.scale };
    case 'INTEGER':
      return { type: logical.bitWidth > 32 ? 'bigint' : 'integer' };
  }
  switch (element.converted_type) {
    case 'UTF8':
    case 'ENUM':
      return { type: 'text' };
    case 'JSON':
      return { type: 'json' };
    case 'DATE':
      return { type: 'date' };
    case 'TIMESTAMP_MILLIS':
    case 'TIMESTAMP_MICROS':
      return { type: 'timestamp' };
    case 'DECIMAL':
      return { type: 'decimal', scale: element.scale ?? 0 };
  }
  switch (element.type) {
    case 'BOOLEAN':
      return { type: 'boolean' };
    case 'INT32':
      return { type: 'integer' };
    case 'INT64':
      return { type: 'bigint' };
    case 'INT96':
      return { type: 'timestamp' };
    case 'FLOAT':
    case 'DOUBLE':
      return { type: 'float' };
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return { type: 'blob' };
  }
  return { type: 'unknown' };
}

function nativeTypeOf(element: SchemaElement): string {
  if (element.num_children) return element.converted_type ?? element.logical_type?.type ?? 'GROUP';
  const logical = element.logical_type;
  if (logical?.type === 'DECIMAL') return `DECIMAL(${logical.precision},${logical.scale})`;
  const annotation = logical?.type ?? element.converted_type;
  return annotation ? `${element.type ?? ''} (${annotation})`.trim() : (element.type ?? 'UNKNOWN');
}

function parquetError(error: unknown, where: string): unknown {
  if (error instanceof AppError || (error as { name?: string }).name === 'AbortError') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(
    'query-failed',
    `${where}: cannot read it as Parquet (${message})`,
    /compression|codec|unsupported/i.test(message)
      ? 'Strata reads uncompressed and Snappy Parquet; rewrite the file with one of them.'
      : undefined,
    { cause: error },
  );
}
