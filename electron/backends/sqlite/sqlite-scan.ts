/**
 * The main thread's side of SQLite scans: each scan runs in a scan worker of its own
 * (sqlite-scan-worker.ts) and arrives as encoded batches, at most `window` of them ahead of the
 * consumer. A worker that finished cleanly is kept for the next scan (starting one costs more
 * than a small range scan); a cancelled or abandoned one is terminated, which also ends a query
 * stuck in native code.
 */
import { MessageChannel, type Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import type { DatasetPath, DatasetSchema } from '../../../shared/model.js';
import { startWorker } from '../../jobs/worker-entry.js';
import { rpcError } from '../../jobs/rpc.js';
import { decodeRows } from '../../versions/canonical.js';
import type { EncodedRows, RowValue, ScanOptions } from '../scan.js';
import { databaseFileDescriptor } from './database-files.js';
import type { ScanMessage, ScanRequest } from './sqlite-scan-worker.js';

/** Batches the worker may read ahead of the consumer: enough to overlap, few enough to bound memory. */
const window = 4;
const defaultBatchRows = 5_000;
/**
 * A batch is also sent once its bytes pass this, so wide rows keep batches bounded. Batches are
 * written into `window` slots of shared memory, one worker's for all its scans, and each slot is
 * reused once its batch is consumed: no buffer is made per batch, so memory stays where it
 * started, whatever the row count (with a new 1 MiB buffer per batch, freed only when the main
 * thread's GC got round to it, a 1M-row scan grew the process by ~45 MiB).
 */
const batchBytes = 1 << 20;
const slotBytes = batchBytes + (64 << 10);
/** Idle workers kept; a second concurrent scan starts its own and it is dropped after. */
const maxIdle = 1;

export class SqliteScanner {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  /** Each worker's batch slots (see `batchBytes`). */
  private readonly slots = new WeakMap<Worker, SharedArrayBuffer>();

  constructor(private readonly file: string) {}

  async *scanEncoded(
    path: DatasetPath,
    schema: DatasetSchema,
    orderBy: string[],
    options: ScanOptions,
  ): AsyncGenerator<EncodedRows> {
    const { columns } = schema;
    const { signal } = options;
    if (signal?.aborted) throw cancelled();
    const worker =
      this.idle.pop() ?? startWorker('sqlite-scan', { workerData: { file: this.file } });
    this.busy.add(worker);
    worker.ref();
    let slots = this.slots.get(worker);
    if (!slots) {
      slots = new SharedArrayBuffer(window * slotBytes);
      this.slots.set(worker, slots);
    }
    const slotView = (slot: number, length: number) =>
      new Uint8Array(slots, slot * slotBytes, length);
    const control = new Int32Array(new SharedArrayBuffer(8));
    control[0] = window;
    const { port1, port2 } = new MessageChannel();
    const inbox: ScanMessage[] = [];
    let wake: (() => void) | undefined;
    const deliver = (message: ScanMessage) => {
      inbox.push(message);
      wake?.();
    };
    port1.on('message', deliver);
    let crashed = false;
    const onError = (error: Error) => {
      crashed = true;
      deliver({ kind: 'failed', error: workerFailed(error).toJSON() });
    };
    worker.on('error', onError);
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    let ended = false;
    try {
      const keyset = isRowidKey(schema, orderBy);
      const request: ScanRequest = {
        path,
        columns,
        orderBy,
        ...(options.range ? { range: options.range } : {}),
        batchRows: options.batchRows ?? defaultBatchRows,
        batchBytes,
        slots,
        slotCount: window,
        keyset,
        ...(keyset && !options.range ? { fd: databaseFileDescriptor(this.file) } : {}),
        control: control.buffer as SharedArrayBuffer,
        port: port2,
      };
      worker.postMessage(request, [port2]);
      for (let consumed = false; ; consumed = true) {
        if (consumed) {
          // The consumer asked for the next batch: it is done with the last, whose slot is free.
          Atomics.add(control, 0, 1);
          Atomics.notify(control, 0);
        }
        while (inbox.length === 0 && !signal?.aborted) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        if (signal?.aborted) throw cancelled();
        const message = inbox.shift()!;
        if (message.kind === 'end') {
          ended = true;
          return;
        }
        if (message.kind === 'failed') {
          ended = true;
          throw rpcError(message);
        }
        const bytes = 'bytes' in message ? message.bytes : slotView(message.slot, message.length);
        yield { rows: message.rows, bytes };
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      worker.off('error', onError);
      port1.close();
      this.busy.delete(worker);
      worker.unref();
      if (ended && !crashed && this.idle.length < maxIdle) this.idle.push(worker);
      else {
        Atomics.store(control, 1, 1);
        Atomics.notify(control, 0);
        void worker.terminate();
      }
    }
  }

  /** The same stream decoded to values, for consumers that look at rows (diffs). */
  async *scan(
    path: DatasetPath,
    schema: DatasetSchema,
    orderBy: string[],
    options: ScanOptions,
  ): AsyncGenerator<RowValue[][]> {
    for await (const batch of this.scanEncoded(path, schema, orderBy, options)) {
      yield decodeRows(batch.bytes, schema.columns.length, 'SQLite scan batch');
    }
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.busy];
    this.idle.length = 0;
    this.busy.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Ordered by the table's own `INTEGER PRIMARY KEY` (its rowid): unique, never NULL, integers —
 * what keyset paging needs to be exact.
 */
function isRowidKey(schema: DatasetSchema, orderBy: readonly string[]): boolean {
  if (orderBy.length !== 1 || schema.key.length !== 1 || schema.key[0] !== orderBy[0]) return false;
  const column = schema.columns.find((c) => c.name === orderBy[0]);
  return schema.kind === 'table' && /^integer$/i.test(column?.nativeType.trim() ?? '');
}

function cancelled(): AppError {
  return new AppError('cancelled', 'Cancelled');
}

function workerFailed(error: Error): AppError {
  return new AppError('internal', `The SQLite scan worker failed: ${error.message}`);
}
