/**
 * The ingest worker: reads, decodes, parses, converts and validates on its own core, and sends
 * typed row batches on. At most `window` batches are in flight: each one sent spends a credit,
 * which comes back once the batch is written, so a slow store slows the reading instead of
 * filling memory.
 *
 * Where the store's writer runs in a thread of its own (SQLite), the main side hands this worker
 * a row port, and rows are packed as they are checked (no array per row kept) and sent there
 * directly (electron/backends/row-port.ts). Otherwise batches go to the main side, which writes
 * them through the store's driver: already encoded in the bytes the store loads where the session
 * says how (electron/backends/row-encoding.ts), as row arrays where it needs the values.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { RowPacker } from '../backends/packed-rows.js';
import { EncodedRows, type RowEncoding } from '../backends/row-encoding.js';
import { RowPortSender } from '../backends/row-port.js';
import { workerInput } from '../jobs/warm-workers.js';
import { toAppError } from '../monitor/errors.js';
import {
  readFile,
  readFileInto,
  type ReadJob,
  type ReadProgress,
  type ReadResult,
} from './reader.js';
import type { ToMain, ToWorker } from './messages.js';

const port = parentPort;
if (!port) throw new Error('The ingest worker must run in a worker thread');
const { job, window, rowPort, encoding } = await workerInput<{
  job: ReadJob;
  window: number;
  rowPort?: MessagePort;
  encoding?: RowEncoding;
}>();

const post = (message: ToMain) => port.postMessage(message);
let rejected = false;
const common = {
  progress: (progress: ReadProgress) => post({ kind: 'progress', progress }),
  rejecting: () => {
    rejected = true;
    post({ kind: 'rejecting' });
  },
};

(rowPort ? toWriterThread(rowPort) : toMainSide(encoding)).then(
  (result) => post({ kind: 'done', result }),
  (error: unknown) => post({ kind: 'error', error: toAppError(error).toJSON() }),
);

/** Packed batches to the writer's thread; progress goes to the main side as each is written. */
async function toWriterThread(writerPort: MessagePort): Promise<ReadResult> {
  const waiting: ReadProgress[] = [];
  const sender = new RowPortSender(writerPort, window, () =>
    post({ kind: 'progress', progress: waiting.shift()! }),
  );
  try {
    const packer = new RowPacker(job.check.columns.length, job.batchRows);
    const result = await readFileInto(
      job,
      {
        ...common,
        batch: (batch, progress) => {
          waiting.push(progress);
          return sender.send(batch);
        },
      },
      packer,
    );
    // The main side commits on another channel: every batch must be in before it hears of the end.
    if (!rejected) await sender.drain();
    return result;
  } finally {
    sender.close();
  }
}

/**
 * Batches to the main side, which returns a credit once the store took each one: encoded bytes
 * where the session takes them (transferred, not copied), row arrays otherwise.
 */
function toMainSide(encoding: RowEncoding | undefined): Promise<ReadResult> {
  let credits = window;
  let wake: (() => void) | undefined;
  port!.on('message', (message: ToWorker) => {
    if (message.kind !== 'credit') return;
    credits++;
    wake?.();
    wake = undefined;
  });
  const spend = async () => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
  };
  if (encoding) {
    return readFileInto(
      job,
      {
        ...common,
        batch: async ({ bytes, rows }, progress) => {
          await spend();
          port!.postMessage({ kind: 'encoded', bytes, rows, progress } satisfies ToMain, [
            bytes.buffer as ArrayBuffer,
          ]);
        },
      },
      new EncodedRows(encoding),
    );
  }
  return readFile(job, {
    ...common,
    batch: async (rows, progress) => {
      await spend();
      post({ kind: 'batch', rows, progress });
    },
  });
}
