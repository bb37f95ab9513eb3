/**
 * A fixed set of worker threads answering RPC calls, so heavy queries never run on the main
 * thread. Each worker runs one call at a time; calls wait in a queue on this side, which is what
 * makes cancellation exact: a queued call is dropped, a running one ends by terminating its worker
 * (its query, if stuck in native code, runs on in the orphaned thread), and a fresh worker takes
 * the next call at once. The threads start at the first call, not when the pool is made: a
 * connection opened only to be written (`strata ingest` into SQLite) never starts its readers,
 * which took ~0.3 s of CPU beside the load's own threads on a 2-core machine.
 */
import type { Worker, WorkerOptions } from 'node:worker_threads';
import { AppError } from '../../shared/errors.js';
import { rpcError, type RpcRequest, type RpcResponse } from './rpc.js';
import { startWorker, type WorkerName } from './worker-entry.js';

interface PendingCall {
  request: RpcRequest;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  transfer: readonly ArrayBuffer[];
}

interface Slot {
  worker: Worker;
  running: PendingCall | undefined;
  queue: PendingCall[];
}

export interface CallOptions {
  /** Calls with the same affinity go to the same worker, so per-worker caches are reused. */
  affinity?: string;
  signal?: AbortSignal;
  /** Buffers of `args` moved to the worker rather than copied: unusable here once sent. */
  transfer?: readonly ArrayBuffer[];
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly name: WorkerName,
    private readonly options: WorkerOptions,
    private readonly size: number,
  ) {}

  call<T>(method: string, args: unknown[], options: CallOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'The connection is closed'));
    if (options.signal?.aborted) return Promise.reject(cancelled());
    while (this.slots.length < this.size) this.slots.push(this.createSlot());
    return new Promise<T>((resolve, reject) => {
      const call: PendingCall = {
        request: { id: this.nextId++, method, args },
        resolve: resolve as (value: unknown) => void,
        reject,
        signal: options.signal,
        onAbort: undefined,
        transfer: options.transfer ?? [],
      };
      const slot = this.pickSlot(options.affinity);
      if (call.signal) {
        call.onAbort = () => this.abort(slot, call);
        call.signal.addEventListener('abort', call.onAbort, { once: true });
      }
      slot.queue.push(call);
      this.pump(slot);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const busy = slot.running !== undefined;
        for (const call of [...slot.queue, ...(slot.running ? [slot.running] : [])]) {
          this.settle(call);
          call.reject(new AppError('unavailable', 'The connection was closed'));
        }
        slot.queue = [];
        slot.running = undefined;
        // A busy worker may be inside a native query that terminate() cannot interrupt (see
        // restart): closing must not wait for that query to end.
        slot.worker.unref();
        const terminated = slot.worker.terminate();
        if (!busy) await terminated;
      }),
    );
  }

  private createSlot(): Slot {
    const slot: Slot = {
      worker: startWorker(this.name, this.options),
      running: undefined,
      queue: [],
    };
    this.attach(slot);
    return slot;
  }

  private attach(slot: Slot): void {
    slot.worker.on('message', (response: RpcResponse) => {
      const call = slot.running;
      if (!call || call.request.id !== response.id) return;
      slot.running = undefined;
      this.settle(call);
      if (response.ok) call.resolve(response.value);
      else call.reject(rpcError(response));
      this.pump(slot);
    });
    slot.worker.on('error', (error) => this.replaceWorker(slot, error));
    // An idle worker must not keep the process alive (the CLI exits when done); a busy one must.
    slot.worker.unref();
  }

  private pickSlot(affinity: string | undefined): Slot {
    if (affinity !== undefined) return this.slots[hash(affinity) % this.slots.length]!;
    let best = this.slots[0]!;
    for (const slot of this.slots) {
      if (load(slot) < load(best)) best = slot;
    }
    return best;
  }

  private pump(slot: Slot): void {
    if (slot.running || this.closed) return;
    const next = slot.queue.shift();
    if (!next) {
      slot.worker.unref();
      return;
    }
    slot.running = next;
    slot.worker.ref();
    slot.worker.postMessage(next.request, [...next.transfer]);
  }

  private abort(slot: Slot, call: PendingCall): void {
    const queued = slot.queue.indexOf(call);
    if (queued >= 0) {
      slot.queue.splice(queued, 1);
      call.reject(cancelled());
      return;
    }
    if (slot.running === call) {
      slot.running = undefined;
      call.reject(cancelled());
      void this.restart(slot);
    }
  }

  private async restart(slot: Slot): Promise<void> {
    const old = slot.worker;
    old.removeAllListeners();
    old.on('error', () => undefined);
    // terminate() stops JavaScript, not a statement running inside SQLite's C code (better-sqlite3
    // has no interrupt), so the old worker may live until its query ends. Replace it now, without
    // waiting, so the next call is answered at once; unref'd, the orphan holds nothing open.
    old.unref();
    void old.terminate();
    if (this.closed) return;
    slot.worker = startWorker(this.name, this.options);
    this.attach(slot);
    this.pump(slot);
  }

  private replaceWorker(slot: Slot, error: Error): void {
    const call = slot.running;
    slot.running = undefined;
    if (call) {
      this.settle(call);
      call.reject(new AppError('internal', `A background worker failed: ${error.message}`));
    }
    void this.restart(slot);
  }

  private settle(call: PendingCall): void {
    if (call.signal && call.onAbort) call.signal.removeEventListener('abort', call.onAbort);
  }
}

function load(slot: Slot): number {
  return slot.queue.length + (slot.running ? 1 : 0);
}

function cancelled(): AppError {
  return new AppError('cancelled', 'Cancelled');
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
