/**
 * Routes rows to their partition's folder (`col=value/…`) and cuts each folder's rows into gzip
 * CSV parts of about `partBytes` uncompressed. Rows are buffered as text per open part; a part
 * is compressed (zlib on libuv's thread pool, off the main thread) and stored when it is full, or
 * — the largest one first — when all buffers together pass `bufferBytes`, so memory stays
 * bounded however many partitions a file spreads over. At most two parts are compressed and
 * stored at once while rows keep arriving; `add` waits beyond that: the writer's backpressure.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import { maxPartitions } from '../sql/partition-keys.js';
import type { WriteValue } from '../writer.js';
import { cellText, csvHeader, csvLine } from './csv-part.js';
import { partitionFolder } from './hive.js';
import { partFileName } from './upload-id.js';

const gzip = promisify(gzipCallback);

export interface WrittenPart {
  /** Relative to the dataset folder: `date=2024-01-01/part-00000-….csv.gz`. */
  path: string;
  rows: number;
  /** Compressed size, as stored. */
  bytes: number;
}

export interface PartRouterOptions {
  /** Every column of a row, aligned to it, typed as the values are to be spelled. */
  columns: readonly Column[];
  /** Indexes (into `columns`) of the columns written into the files, in order. */
  fileColumns: readonly number[];
  /** Indexes of the partition columns, outermost folder first. */
  partitionColumns: readonly number[];
  uploadId: string;
  partBytes: number;
  bufferBytes: number;
  /** Stores a finished part at `path` (relative, as in WrittenPart). */
  store(path: string, bytes: Uint8Array): Promise<void>;
}

interface OpenPart {
  folder: string;
  chunks: string[];
  bytes: number;
  rows: number;
}

/** Parts compressed and stored at once while more rows are encoded. */
const maxInFlight = 2;
/** A folder name longer than this is refused by most file systems. */
const maxFolderBytes = 255;

export class PartRouter {
  private readonly open = new Map<string, OpenPart>();
  private readonly folders = new Set<string>();
  private readonly inFlight: Array<Promise<void>> = [];
  private readonly header: string;
  private buffered = 0;
  private nextPart = 0;
  private failure: unknown;
  /** Set by `settle`: a write still running (awaiting a part) stores nothing more. */
  private stopped = false;
  readonly written: WrittenPart[] = [];
  rows = 0;

  constructor(private readonly options: PartRouterOptions) {
    this.header = csvHeader(options.fileColumns.map((i) => options.columns[i]!));
  }

  async add(rows: readonly WriteValue[][]): Promise<void> {
    const { columns, fileColumns, partBytes, bufferBytes } = this.options;
    for (const row of rows) {
      const folder = this.folderOf(row);
      let part = this.open.get(folder);
      if (!part) {
        part = { folder, chunks: [this.header], bytes: this.header.length, rows: 0 };
        this.open.set(folder, part);
        this.buffered += part.bytes;
      }
      const line = csvLine(row, fileColumns, columns);
      part.chunks.push(line);
      part.bytes += line.length;
      part.rows++;
      this.buffered += line.length;
      if (part.bytes >= partBytes) await this.flush(part);
      else if (this.buffered >= bufferBytes) await this.flush(this.largest());
    }
    this.rows += rows.length;
  }

  /** Stores every open part; the parts written, in path order. */
  async finish(): Promise<WrittenPart[]> {
    for (const part of [...this.open.values()]) await this.flush(part);
    await Promise.all(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
    return [...this.written].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Waits for parts being stored, whether or not they succeed: before removing their folder. */
  async settle(): Promise<void> {
    this.stopped = true;
    this.open.clear();
    await Promise.allSettled(this.inFlight);
  }

  private folderOf(row: readonly WriteValue[]): string {
    const { partitionColumns, columns } = this.options;
    if (partitionColumns.length === 0) return '';
    let folder = '';
    for (const index of partitionColumns) {
      const column = columns[index]!;
      const value = row[index]!;
      const segment = partitionFolder(column.name, value === null ? null : cellText(value, column));
      if (Buffer.byteLength(segment) > maxFolderBytes) {
        throw new AppError(
          'invalid-input',
          `Column “${column.name}”: a value is too long to name a partition folder`,
          'Partition by a column with short values.',
        );
      }
      folder += `${segment}/`;
    }
    if (!this.folders.has(folder)) {
      this.folders.add(folder);
      if (this.folders.size > maxPartitions) {
        throw new AppError(
          'invalid-input',
          `The partition columns have more than ${maxPartitions} distinct values: too many partitions`,
          'Partition by columns with fewer distinct values, or write without partitions.',
        );
      }
    }
    return folder;
  }

  private largest(): OpenPart {
    let largest: OpenPart | undefined;
    for (const part of this.open.values())
      if (!largest || part.bytes > largest.bytes) largest = part;
    return largest!;
  }

  private async flush(part: OpenPart): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.stopped) throw new AppError('cancelled', 'The write was abandoned');
    this.open.delete(part.folder);
    this.buffered -= part.bytes;
    const path = `${part.folder}${partFileName(this.nextPart++, this.options.uploadId)}`;
    const text = part.chunks.join('');
    part.chunks = [];
    const work = gzip(Buffer.from(text, 'utf8')).then(async (bytes) => {
      await this.options.store(path, bytes);
      this.written.push({ path, rows: part.rows, bytes: bytes.byteLength });
    });
    work.catch((error: unknown) => (this.failure ??= error));
    this.inFlight.push(work);
    while (this.inFlight.length > maxInFlight) await this.inFlight.shift();
  }
}
