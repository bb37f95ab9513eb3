/**
 * The first-start experience: a saved "Demo (SQLite)" connection to a generated star schema.
 * The file is generated under a temporary name in a worker thread and renamed into place when
 * complete, so an interrupted start never leaves a half-filled demo behind.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import type { JobContext } from '../jobs/job-registry.js';
import { startWorker } from '../jobs/worker-entry.js';
import { syncDirectory } from '../storage/atomic-file.js';
import { demoTotalRows } from './demo-data.js';

export const demoConnectionName = 'Demo (SQLite)';
export const demoFileName = 'demo.sqlite';

/** Saves the demo connection (status "preparing") and returns the work that fills its file. */
export async function addDemoConnection(
  dataDir: string,
  connections: ConnectionManager,
): Promise<{ connectionId: string; file: string }> {
  const file = path.join(dataDir, demoFileName);
  const connectionId = randomUUID();
  await connections.addPrepared({
    id: connectionId,
    name: demoConnectionName,
    readOnly: false,
    createdAt: new Date().toISOString(),
    config: { kind: 'sqlite', path: file },
  });
  return { connectionId, file };
}

export async function demoExists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

export async function generateDemoFile(file: string, job: JobContext): Promise<void> {
  const temp = `${file}.partial`;
  await fs.rm(temp, { force: true });
  const worker = startWorker('demo-generator', { workerData: { file: temp } });
  try {
    await new Promise<void>((resolve, reject) => {
      const abort = () => {
        void worker.terminate();
        reject(new AppError('cancelled', 'Demo generation cancelled'));
      };
      if (job.signal.aborted) return abort();
      job.signal.addEventListener('abort', abort, { once: true });
      worker.on('message', (message: { type: 'progress'; done: number } | { type: 'done' }) => {
        if (message.type === 'progress') job.progress(message.done, demoTotalRows);
        else resolve();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0) reject(new AppError('internal', `Demo generation stopped (exit ${code})`));
      });
    });
    await fs.rename(temp, file);
    await syncDirectory(path.dirname(file));
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  } finally {
    await worker.terminate();
  }
}
