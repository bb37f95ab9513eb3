/**
 * SQLite's DatasetWriter, on the main thread: each write session gets a worker thread of its own
 * (better-sqlite3 is synchronous, and the main thread must never wait on a disk), holding a
 * read-write connection that runs sqlite-write-core.ts.
 *
 * The ingest sends its rows straight to that worker, packed, over `rowPort()` (row-port.ts): one
 * thread boundary instead of two. Rows given to `write` instead are posted as they arrive
 * (structured clone of the row arrays) and `write` resolves as soon as
 * at most `maxInFlight` batches are waiting, so the caller prepares the next batch while the
 * worker inserts this one. Cancelling sets a flag the worker checks before each batch, so queued
 * batches are dropped rather than inserted and rolled back.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import { toAppError } from '../../monitor/errors.js';
import { rpcError, type RpcResponse } from '../../jobs/rpc.js';
import { loadWorkerLimits } from '../../jobs/load-limits.js';
import { prewarm, takeWorker } from '../../jobs/warm-workers.js';
import type { DatasetWriter, WriteSession, WriteTarget, WriteValue } from '../writer.js';

/** Batches posted and not yet inserted: bounds memory to a few batches, whatever the file size. */
const maxInFlight = 4;

export function createSqliteWriter(file: string): DatasetWriter {
  return {
    begin: async (target, options) => {
      const session = new SqliteWriteSession(file, options?.signal);
      await session.start(target);
      return session;
    },
  };
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: AppError) => void;
}

class SqliteWriteSession implements WriteSession {
  private readonly worker: Worker;
  private readonly cancelled = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight: Promise<unknown>[] = [];
  private nextId = 1;
  private failure: AppError | undefined;
  private finished = false;
  private exited = false;
  private closing: Promise<void> | undefined;
  private readonly onAbort = () => this.fail(new AppError('cancelled', 'Cancelled'));

  constructor(
    file: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.worker = takeWorker('sqlite-writer', {
      workerData: { file, cancelled: this.cancelled },
      resourceLimits: loadWorkerLimits,
    });
    this.worker.on('message', (response: RpcResponse) => {
      const call = this.pending.get(response.id);
      if (!call) return;
      this.pending.delete(response.id);
      if (response.ok) call.resolve(response.value);
      else call.reject(rpcError(response));
    });
    this.worker.on('error', (error) =>
      this.stop(new AppError('internal', `The SQLite writer failed: ${error.message}`)),
    );
    this.worker.on('exit', () => {
      this.exited = true;
      this.stop(this.failure ?? new AppError('internal', 'The SQLite writer stopped'));
    });
  }

  async start(target: WriteTarget): Promise<void> {
    if (this.signal?.aborted) this.onAbort();
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    try {
      await this.call('begin', [target]);
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  async write(rows: WriteValue[][]): Promise<void> {
    this.check();
    if (rows.length === 0) return;
    const call = this.call('write', [rows]);
    // A failed batch fails the session at once, so batches queued behind it are skipped.
    call.catch((error: unknown) => this.fail(toAppError(error)));
    this.inFlight.push(call);
    while (this.inFlight.length > maxInFlight) await this.inFlight.shift();
  }

  /** Rows may also come straight from another thread, packed, over this port (row-port.ts). */
  async rowPort(): Promise<MessagePort> {
    this.check();
    const { port1, port2 } = new MessageChannel();
    await this.call('connect', [port2], [port2]);
    return port1;
  }

  async commit(): Promise<{ rowsWritten: number }> {
    this.check();
    try {
      while (this.inFlight.length > 0) await this.inFlight.shift();
      this.check();
      const rowsWritten = (await this.call('commit', [])) as number;
      await this.abort(); // after COMMIT, only closes
      return { rowsWritten };
    } catch (error) {
      await this.abort();
      throw this.failure ?? error;
    }
  }

  /** Safe to call more than once, and at any point: every call waits for the same cleanup. */
  abort(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  /** Rolls back (a no-op after COMMIT), closes the connection, ends the thread. */
  private async close(): Promise<void> {
    this.finished = true;
    Atomics.store(this.cancelled, 0, 1);
    this.inFlight.length = 0;
    this.signal?.removeEventListener('abort', this.onAbort);
    // Should the worker be gone already, terminating it closes the connection all the same, and
    // SQLite rolls back what was not committed.
    await this.call('abort', []).catch(() => undefined);
    await this.worker.terminate();
    // The next write into any SQLite file starts without waiting for a thread.
    prewarm('sqlite-writer', loadWorkerLimits);
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.finished) throw new AppError('internal', 'This write session has ended');
  }

  /** A failed session can never commit: it rolls back and ends its thread at once. */
  private fail(error: AppError): void {
    this.failure ??= error;
    void this.abort();
  }

  /** The worker is gone: every call waiting on it fails with the reason. */
  private stop(error: AppError): void {
    if (!this.finished) this.fail(error);
    for (const call of this.pending.values()) call.reject(this.failure ?? error);
    this.pending.clear();
  }

  private call(method: string, args: unknown[], transfer: MessagePort[] = []): Promise<unknown> {
    if (this.exited)
      return Promise.reject(this.failure ?? new AppError('internal', 'The SQLite writer stopped'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args }, transfer);
    });
  }
}
