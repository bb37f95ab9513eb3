/**
 * The ingest worker: reads, decodes, parses, converts and validates on its own core, and posts
 * typed row batches to the main side, which writes them. At most `window` batches are in flight:
 * each one posted spends a credit, and the main side returns the credit once the batch is written,
 * so a slow store slows the reading instead of filling memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toAppError } from '../monitor/errors.js';
import { readFile, type ReadJob } from './reader.js';
import type { ToMain, ToWorker } from './messages.js';

const port = parentPort;
if (!port) throw new Error('The ingest worker must run in a worker thread');
const { job, window } = workerData as { job: ReadJob; window: number };

let credits = window;
let wake: (() => void) | undefined;
port.on('message', (message: ToWorker) => {
  if (message.kind !== 'credit') return;
  credits++;
  wake?.();
  wake = undefined;
});

const post = (message: ToMain) => port.postMessage(message);

readFile(job, {
  batch: async (rows, progress) => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    post({ kind: 'batch', rows, progress });
  },
  progress: (progress) => post({ kind: 'progress', progress }),
  rejecting: () => post({ kind: 'rejecting' }),
}).then(
  (result) => post({ kind: 'done', result }),
  (error: unknown) => post({ kind: 'error', error: toAppError(error).toJSON() }),
);
