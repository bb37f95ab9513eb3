/**
 * Sniffing in a thread of its own, one file per worker: the sample — 1 MiB, or up to 64 MiB when
 * a huge field leaves too few records in it — is decoded, split and typed off the main process,
 * which would otherwise answer no window for that long (1.4 s for a file with a 10 MB field).
 */
import { parentPort } from 'node:worker_threads';
import type { SniffRequest, SniffResult } from '../../shared/ingest.js';
import type { SerializedError } from '../../shared/errors.js';
import { workerInput } from '../jobs/warm-workers.js';
import { toAppError } from '../monitor/errors.js';
import { sniffFile } from './sniff.js';

export type SniffReply = { ok: true; result: SniffResult } | { ok: false; error: SerializedError };

const port = parentPort;
if (!port) throw new Error('The sniff worker must run in a worker thread');
const request = await workerInput<SniffRequest>();
const reply: SniffReply = await sniffFile(request).then(
  (result) => ({ ok: true, result }),
  (error: unknown) => ({ ok: false, error: toAppError(error).toJSON() }),
);
port.postMessage(reply);
