/**
 * The reading half of an ingest, run inside the ingest worker: file → decoded text → records →
 * typed, validated rows in batches. It never holds more than a chunk of text and the batches the
 * sink has not accepted yet; the sink's promise is the backpressure.
 *
 * Under reject-file the first violation stops the rows (the sink is told, so the write can be
 * aborted at once), but reading goes on to the end so the report counts every violation: one
 * pass that lists every problem saves the person a fix-and-retry loop per problem, and checking
 * costs a fraction of writing. Cancel stops it like anything else.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { AppError } from '../../shared/errors.js';
import type { CsvDialect, RejectPolicy, RuleCount, Violation } from '../../shared/ingest.js';
import type { WriteValue } from '../backends/writer.js';
import { CsvSplit, type CsvField, type CsvRecord } from './csv-split.js';
import { decodeFile } from './decode.js';
import { RowChecker, type CheckSpec } from './validate.js';

export interface ReadJob {
  file: string;
  dialect: CsvDialect;
  check: CheckSpec;
  policy: RejectPolicy;
  rejectsPath?: string;
  /** Validate only: no rows leave the reader. */
  dryRun: boolean;
  batchRows: number;
}

export interface ReadProgress {
  rowsRead: number;
  rowsRejected: number;
  bytes: number;
}

export interface ReadSink<Batch = WriteValue[][]> {
  /** Takes a batch of rows; resolves when another may be sent. */
  batch(rows: Batch, progress: ReadProgress): Promise<void>;
  progress(progress: ReadProgress): void;
  /** The first violation under reject-file: nothing more will be sent. */
  rejecting(): void;
}

export interface ReadResult extends ReadProgress {
  counts: RuleCount[];
  violations: Violation[];
}

/** Text per batch besides the row count (characters), so rows with huge fields make small batches. */
const batchChars = 16 << 20;
const progressEveryMs = 100;
/**
 * Bytes read (and split, synchronously) at a time. Batches go to the writer between reads, so a
 * read must split in less time than the writer's queue holds: 1 MiB (~12,000 rows, ~25 ms)
 * outran a queue of 8 batches of 1,000 rows (~14 ms), and the writer waited in every cycle.
 * Measured on the bench's 1M-row file, strata ingest into SQLite, five runs each, turn about:
 * the job took 2.56-2.84 s with 1 MiB reads, 1.96-2.20 s with 256 KiB; 64 KiB and 32 KiB were
 * slower again (the per-read work grows: 4.4-4.7 s of CPU against 3.5-3.8).
 */
const readChunk = 256 << 10;

/** Gathers checked rows into a batch of some shape (arrays of rows, or packed-rows.ts). */
export interface RowBatcher<Batch> {
  readonly rows: number;
  add(row: WriteValue[]): void;
  take(): Batch;
  /** `add` copies the values out, so the reader may reuse one row array for every record. */
  readonly copies: boolean;
}

class RowArrays implements RowBatcher<WriteValue[][]> {
  readonly copies = false;
  private batch: WriteValue[][] = [];
  get rows(): number {
    return this.batch.length;
  }
  add(row: WriteValue[]): void {
    this.batch.push(row);
  }
  take(): WriteValue[][] {
    const batch = this.batch;
    this.batch = [];
    return batch;
  }
}

/** Reads the file into batches of row arrays. */
export function readFile(job: ReadJob, sink: ReadSink, signal?: AbortSignal): Promise<ReadResult> {
  return readFileInto(job, sink, new RowArrays(), signal);
}

export async function readFileInto<Batch>(
  job: ReadJob,
  sink: ReadSink<Batch>,
  batcher: RowBatcher<Batch>,
  signal?: AbortSignal,
): Promise<ReadResult> {
  // Records are only looked at while `take` runs (the header is copied): one reused record.
  const splitter = new CsvSplit({ ...job.dialect, source: job.file, reuseRecord: true });
  const checker = new RowChecker(job.check);
  const rejects =
    job.policy === 'load-good-rows' && job.rejectsPath
      ? new RejectsFile(job.rejectsPath)
      : undefined;
  let header: CsvField[] | undefined;
  let needHeader = job.dialect.header;
  let sending = !job.dryRun;
  let chars = 0;
  const ready: Batch[] = [];
  const reused = batcher.copies ? new Array<WriteValue>(job.check.columns.length) : undefined;
  const progress: ReadProgress = { rowsRead: 0, rowsRejected: 0, bytes: 0 };
  let lastProgress = 0;

  const take = (record: CsvRecord) => {
    if (needHeader) {
      needHeader = false;
      header = record.fields.slice();
      return;
    }
    progress.rowsRead++;
    const row = checker.check(record.fields, record.line, reused);
    if (row === undefined) {
      if (job.policy === 'reject-file' && sending) {
        sending = false;
        batcher.take();
        ready.length = 0;
        sink.rejecting();
      }
      rejects?.add(header, record, checker.rowErrors.join('; '));
      return;
    }
    if (!sending) return;
    try {
      batcher.add(row);
    } catch (error) {
      // An encoding batcher (row-encoding.ts) refuses what its store cannot hold: say where.
      throw error instanceof AppError
        ? new AppError(error.code, `${job.file}, line ${record.line}: ${error.message}`, error.hint)
        : error;
    }
    if (batcher.rows >= job.batchRows) {
      ready.push(batcher.take());
      chars = 0;
    }
  };

  try {
    for await (const text of decodeFile(job.file, job.dialect.encoding, {
      ...(signal ? { signal } : {}),
      onBytes: (bytes) => (progress.bytes = bytes),
      chunkSize: readChunk,
    })) {
      splitter.push(text, take);
      // Text read since the batch began, counted per chunk rather than per field: rows with huge
      // fields make small batches at no cost to ordinary rows.
      chars += text.length;
      if (chars >= batchChars && batcher.rows > 0) {
        ready.push(batcher.take());
        chars = 0;
      }
      progress.rowsRejected = checker.rowsRejected;
      while (ready.length > 0) await sink.batch(ready.shift()!, { ...progress });
      if (rejects) await rejects.drained();
      const now = Date.now();
      if (now - lastProgress >= progressEveryMs) {
        lastProgress = now;
        sink.progress({ ...progress });
      }
    }
    splitter.end(take);
    progress.rowsRejected = checker.rowsRejected;
    if (batcher.rows > 0 && sending) ready.push(batcher.take());
    while (ready.length > 0) await sink.batch(ready.shift()!, { ...progress });
    await rejects?.close(header);
  } catch (error) {
    rejects?.destroy();
    throw error;
  }
  return { ...progress, counts: checker.counted(), violations: checker.violations };
}

/** Rejected records as CSV: their fields (under the file's header), then `_line` and `_error`. */
class RejectsFile {
  private readonly out: WriteStream;
  private started = false;
  private full = false;
  private failure: Error | undefined;

  constructor(path: string) {
    // 'wx': created, never overwritten (run-ingest checks first; this closes the race).
    this.out = createWriteStream(path, { flags: 'wx' });
    this.out.on('drain', () => (this.full = false));
    this.out.on('error', (error) => (this.failure = error));
  }

  add(header: CsvField[] | undefined, record: CsvRecord, error: string): void {
    if (!this.started) {
      this.started = true;
      const names = header ?? record.fields.map((_, i) => `column_${i + 1}`);
      this.write([...names, '_line', '_error']);
    }
    this.write([...record.fields, String(record.line), error]);
  }

  /** Waits while the file is behind (the rows may be many and the disk slow). */
  async drained(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.full) await Promise.race([once(this.out, 'drain'), once(this.out, 'error')]);
    if (this.failure) throw this.failure;
  }

  async close(header: CsvField[] | undefined): Promise<void> {
    // No rejected row: the file still says so, with the header it would have had.
    if (!this.started) this.write([...(header ?? []), '_line', '_error']);
    this.out.end();
    if (!this.failure) await Promise.race([once(this.out, 'finish'), once(this.out, 'error')]);
    if (this.failure) throw this.failure;
  }

  destroy(): void {
    this.out.destroy();
  }

  private write(fields: CsvField[]): void {
    if (!this.out.write(`${fields.map(csvField).join(',')}\n`)) this.full = true;
  }
}

/** NULL stays an empty field, '' is written `""`, and anything that needs quotes gets them. */
export function csvField(field: CsvField): string {
  if (field === null) return '';
  if (field === '' || /[",\r\n]|^\s|\s$/.test(field)) return `"${field.replace(/"/g, '""')}"`;
  return field;
}
