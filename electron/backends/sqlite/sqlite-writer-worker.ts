/**
 * Worker thread: one read-write SQLite connection running one write session (sqlite-write-core)
 * over RPC. Batches queue up in this thread's message port while the previous one is inserted,
 * which is what keeps the caller's parsing and these inserts running at the same time.
 *
 * Rows come either as RPC `write` calls (from the main thread) or straight from the producing
 * thread over a row port (row-port.ts) handed over by `connect`; commit then first checks that no
 * batch from that port failed.
 */
import type { MessagePort } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import { serveRpc } from '../../jobs/rpc.js';
import { workerInput } from '../../jobs/warm-workers.js';
import { serveRowPort } from '../row-port.js';
import type { WriteTarget, WriteValue } from '../writer.js';
import { SqliteWriteCore } from './sqlite-write-core.js';

const { file, cancelled } = await workerInput<{ file: string; cancelled: Int32Array }>();
let core: SqliteWriteCore | undefined;
const open = (): SqliteWriteCore => (core ??= new SqliteWriteCore(file));
let portFailure: () => AppError | undefined = () => undefined;

/** Once the session is cancelled, batches still queued here are dropped, not inserted. */
function checkCancelled(): void {
  if (Atomics.load(cancelled, 0) !== 0) throw new AppError('cancelled', 'Cancelled');
}

serveRpc({
  begin: (target: WriteTarget) => {
    checkCancelled();
    open().begin(target);
  },
  write: (rows: WriteValue[][]) => {
    checkCancelled();
    return open().write(rows);
  },
  connect: (port: MessagePort) => {
    ({ failure: portFailure } = serveRowPort(port, (batch) => {
      checkCancelled();
      open().writePacked(batch);
    }));
  },
  commit: () => {
    checkCancelled();
    const failure = portFailure();
    if (failure) throw failure;
    return open().commit();
  },
  abort: () => {
    core?.close();
    core = undefined;
  },
});
