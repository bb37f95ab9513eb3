/**
 * Sorting rows that may not fit in memory: rows are gathered into runs of `runRows`, each sorted
 * and spilled to a temporary file in the canonical row encoding, then the runs are merged k ways.
 * A CSV, or a store that cannot order rows the way every diff agrees (`compareKeys`), goes
 * through here; memory stays at one run plus one block per run however large the input.
 *
 * Written here rather than through a temporary SQLite table because the order is ours, not
 * SQLite's: `compareKeys` orders integers past 2^53 exactly and text by UTF-8 bytes, which a
 * table would need a byte-comparable key encoding for; the runs reuse the snapshot encoding.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { RowBatches, RowValue } from '../backends/scan.js';
import { decodeRows, RowWriter } from '../versions/canonical.js';

export interface SortOptions {
  /** Where runs are spilled. */
  tmpDir: string;
  columnCount: number;
  compare(a: readonly RowValue[], b: readonly RowValue[]): number;
  /** Rows held in memory per run. */
  runRows?: number;
  batchRows?: number;
  signal?: AbortSignal;
}

const blockRows = 2_000;

/** The rows of `input`, sorted, in batches. Temporary files are gone when the iteration ends. */
export async function* sortRows(input: RowBatches, options: SortOptions): RowBatches {
  const runRows = options.runRows ?? 200_000;
  const batchRows = options.batchRows ?? 5_000;
  let buffer: RowValue[][] = [];
  const runs: string[] = [];
  try {
    for await (const batch of input) {
      if (options.signal?.aborted) throw new AppError('cancelled', 'Diff cancelled');
      for (const row of batch) buffer.push(row);
      if (buffer.length >= runRows) {
        runs.push(await spill(buffer.sort(options.compare), options));
        buffer = [];
      }
    }
    buffer.sort(options.compare);
    if (runs.length === 0) {
      for (let i = 0; i < buffer.length; i += batchRows) yield buffer.slice(i, i + batchRows);
      return;
    }
    if (buffer.length > 0) runs.push(await spill(buffer, options));
    buffer = [];
    yield* mergeRuns(runs, options, batchRows);
  } finally {
    await Promise.all(runs.map((file) => fs.rm(file, { force: true })));
  }
}

async function spill(rows: RowValue[][], options: SortOptions): Promise<string> {
  await fs.mkdir(options.tmpDir, { recursive: true });
  const file = path.join(options.tmpDir, `run-${randomBytes(6).toString('hex')}`);
  const handle = await fs.open(file, 'w');
  try {
    const writer = new RowWriter();
    for (let i = 0; i < rows.length; i += blockRows) {
      const block = rows.slice(i, i + blockRows);
      for (const row of block) writer.writeRow(row);
      const bytes = writer.take();
      const header = Buffer.alloc(8);
      header.writeUInt32LE(bytes.byteLength, 0);
      header.writeUInt32LE(block.length, 4);
      await handle.write(header);
      await handle.write(bytes);
    }
  } finally {
    await handle.close();
  }
  return file;
}

/** Reads a run back block by block. */
class RunReader {
  private rows: RowValue[][] = [];
  private index = 0;
  private position = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly columnCount: number,
  ) {}

  static async open(file: string, columnCount: number): Promise<RunReader> {
    const reader = new RunReader(await fs.open(file, 'r'), columnCount);
    await reader.fill();
    return reader;
  }

  get head(): RowValue[] | undefined {
    return this.rows[this.index];
  }

  async next(): Promise<void> {
    this.index++;
    if (this.index >= this.rows.length) await this.fill();
  }

  private async fill(): Promise<void> {
    this.rows = [];
    this.index = 0;
    const header = Buffer.alloc(8);
    const { bytesRead } = await this.handle.read(header, 0, 8, this.position);
    if (bytesRead < 8) return;
    const length = header.readUInt32LE(0);
    const bytes = Buffer.allocUnsafe(length);
    await this.handle.read(bytes, 0, length, this.position + 8);
    this.position += 8 + length;
    this.rows = decodeRows(bytes, this.columnCount, 'a diff sort run');
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

async function* mergeRuns(runs: string[], options: SortOptions, batchRows: number): RowBatches {
  const readers = await Promise.all(runs.map((file) => RunReader.open(file, options.columnCount)));
  try {
    // A binary heap of readers by their head row.
    const heap = readers.filter((r) => r.head !== undefined);
    const less = (i: number, j: number) => options.compare(heap[i]!.head!, heap[j]!.head!) < 0;
    const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
    const down = (start: number) => {
      for (let i = start; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(l, m)) m = l;
        if (r < heap.length && less(r, m)) m = r;
        if (m === i) return;
        swap(i, m);
        i = m;
      }
    };
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    let batch: RowValue[][] = [];
    while (heap.length > 0) {
      const top = heap[0]!;
      batch.push(top.head!);
      await top.next();
      if (top.head === undefined) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      }
      down(0);
      if (batch.length >= batchRows) {
        if (options.signal?.aborted) throw new AppError('cancelled', 'Diff cancelled');
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}
