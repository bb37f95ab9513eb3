/**
 * The ingest worker: reads, decodes, parses, converts and validates on its own core, and sends
 * typed row batches on. At most `window` batches are in flight: each one sent spends a credit,
 * which comes back once the batch is written, so a slow store slows the reading instead of
 * filling memory.
 *
 * Where the store's writer runs in a thread of its own (SQLite), the main side hands this worker
 * a row port and batches go there directly, packed (electron/backends/row-port.ts); otherwise
 * they go to the main side as arrays, which writes them through the store's driver.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { RowPacker } from '../backends/packed-rows.js';
import { RowPortSender } from '../backends/row-port.js';
import type { WriteValue } from '../backends/writer.js';
import { toAppError } from '../monitor/errors.js';
import { readFile, type ReadJob, type ReadProgress, type ReadSink } from './reader.js';
import type { ToMain, ToWorker } from './messages.js';

const port = parentPort;
if (!port) throw new Error('The ingest worker must run in a worker thread');
const { job, window, rowPort } = workerData as {
  job: ReadJob;
  window: number;
  rowPort?: MessagePort;
};

const post = (message: ToMain) => port.postMessage(message);
let rejected = false;
const sink = rowPort ? directSink(rowPort) : viaMainSink();

readFile(job, {
  ...sink,
  progress: (progress) => post({ kind: 'progress', progress }),
  rejecting: () => {
    rejected = true;
    post({ kind: 'rejecting' });
  },
})
  .then(async (result) => {
    if (!rejected) await sink.drain();
    post({ kind: 'done', result });
  })
  .catch((error: unknown) => post({ kind: 'error', error: toAppError(error).toJSON() }))
  .finally(() => rowPort?.close());

type BatchSink = Pick<ReadSink, 'batch'> & { drain(): Promise<void> };

/** Batches to the writer's thread; progress goes to the main side as each one is written. */
function directSink(writerPort: MessagePort): BatchSink {
  const waiting: ReadProgress[] = [];
  const sender = new RowPortSender(writerPort, window, () =>
    post({ kind: 'progress', progress: waiting.shift()! }),
  );
  let packer: RowPacker | undefined;
  return {
    batch: (rows: WriteValue[][], progress) => {
      packer ??= new RowPacker(rows[0]?.length ?? 0);
      for (const row of rows) packer.add(row);
      waiting.push(progress);
      return sender.send(packer.take());
    },
    drain: () => sender.drain(),
  };
}

/** Batches to the main side, which returns a credit once the store took each one. */
function viaMainSink(): BatchSink {
  let credits = window;
  let wake: (() => void) | undefined;
  port!.on('message', (message: ToWorker) => {
    if (message.kind !== 'credit') return;
    credits++;
    wake?.();
    wake = undefined;
  });
  return {
    batch: async (rows, progress) => {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      post({ kind: 'batch', rows, progress });
    },
    drain: () => Promise.resolve(),
  };
}
