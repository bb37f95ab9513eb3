/**
 * `sniffFile` run in the sniff worker (sniff-worker.ts), for callers on the main process: the
 * same result, or the same AppError, without the main thread decoding and splitting the sample.
 */
import { AppError } from '../../shared/errors.js';
import type { SniffRequest, SniffResult } from '../../shared/ingest.js';
import { takeWorker } from '../jobs/warm-workers.js';
import type { SniffReply } from './sniff-worker.js';

export function sniffOffMain(request: SniffRequest): Promise<SniffResult> {
  return new Promise((resolve, reject) => {
    const worker = takeWorker('sniff', { workerData: request });
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      done();
    };
    worker.once('message', (reply: SniffReply) =>
      settle(() => (reply.ok ? resolve(reply.result) : reject(AppError.from(reply.error)))),
    );
    worker.once('error', (error) =>
      settle(() =>
        reject(
          new AppError('internal', `Sniffing the file failed: ${error.message}`, undefined, {
            cause: error,
          }),
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() =>
        reject(new AppError('internal', `The sniff worker stopped (exit code ${code})`)),
      ),
    );
  });
}
