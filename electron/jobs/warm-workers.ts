/**
 * Workers started before they are needed. A thread's start-up — V8 isolate, modules, and in
 * development TypeScript through tsx, measured at ~0.5 s a thread — was most of a small upload's
 * time; a spare started when an upload becomes likely (a file is previewed, a SQLite file is
 * opened) is handed its data when taken, so the person does not wait for it.
 *
 * A spare gets its data over a port of its own (never the worker's parentPort, whose messages stay
 * queued for the worker's real protocol until it listens), by `workerInput()`. One spare per kind
 * of worker, unref'd so an idle spare never keeps a process (the CLI) alive.
 */
import {
  MessageChannel,
  MessagePort,
  workerData,
  type ResourceLimits,
  type Worker,
} from 'node:worker_threads';
import { startWorker, type WorkerName } from './worker-entry.js';

const deferredKey = '__strataInitPort';

interface Spare {
  worker: Worker;
  init: MessagePort;
  resourceLimits: ResourceLimits | undefined;
}

const spares = new Map<WorkerName, Spare>();

export interface TakeOptions {
  workerData: unknown;
  transferList?: Array<MessagePort | ArrayBuffer>;
  resourceLimits?: ResourceLimits;
}

/** Starts an idle worker of `name` for the next `takeWorker(name)`, unless one is waiting. */
export function prewarm(name: WorkerName, resourceLimits?: ResourceLimits): void {
  if (spares.has(name)) return;
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker(name, {
    workerData: { [deferredKey]: port2 },
    transferList: [port2],
    ...(resourceLimits ? { resourceLimits } : {}),
  });
  worker.unref();
  port1.unref();
  const forget = () => {
    if (spares.get(name)?.worker === worker) spares.delete(name);
  };
  // A spare that fails to start is simply not used; the next take starts a worker as before.
  worker.on('error', forget);
  worker.on('exit', forget);
  spares.set(name, { worker, init: port1, resourceLimits });
}

/** A worker of `name` running with `options.workerData`: the spare when there is one. */
export function takeWorker(name: WorkerName, options: TakeOptions): Worker {
  const spare = spares.get(name);
  if (spare && sameLimits(spare.resourceLimits, options.resourceLimits)) {
    spares.delete(name);
    spare.worker.ref();
    spare.init.postMessage(options.workerData, options.transferList ?? []);
    spare.init.close();
    return spare.worker;
  }
  return startWorker(name, {
    workerData: options.workerData,
    ...(options.transferList ? { transferList: options.transferList } : {}),
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  });
}

/** Inside a worker: its data, given at its start or, for a spare, when it is taken. */
export function workerInput<T>(): Promise<T> {
  const port = (workerData as Record<string, unknown> | null)?.[deferredKey];
  if (!(port instanceof MessagePort)) return Promise.resolve(workerData as T);
  return new Promise((resolve) =>
    port.once('message', (data: T) => {
      port.close();
      resolve(data);
    }),
  );
}

function sameLimits(a: ResourceLimits | undefined, b: ResourceLimits | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}
