import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors.js';
import * as workerEntry from '../../electron/jobs/worker-entry.js';
import { WorkerPool } from '../../electron/jobs/worker-pool.js';

vi.mock('../../electron/jobs/worker-entry.js', async (original) => {
  const actual = await original<typeof workerEntry>();
  return { ...actual, startWorker: vi.fn(actual.startWorker) };
});

const emptyView = { sort: [], filters: [] };
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-pool-'));
  file = path.join(dir, 'slow.db');
  const db = new Database(file);
  // Counting this view takes seconds: long enough to be cancelled while it runs, short enough
  // that the orphaned thread (SQLite cannot be interrupted) is gone soon after.
  db.exec(`CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);
    CREATE VIEW slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000)
    SELECT x FROM c;`);
  db.close();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const isCancelled = (error: unknown) => error instanceof AppError && error.code === 'cancelled';

describe('WorkerPool', () => {
  it('answers calls from a worker thread', async () => {
    const pool = new WorkerPool('sqlite-reader', { workerData: { file } }, 1);
    try {
      expect(await pool.call('count', [['main', 't'], emptyView])).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('starts its threads at the first call, all of them, and none for a pool never called', async () => {
    const started = vi.mocked(workerEntry.startWorker);
    started.mockClear();
    const idle = new WorkerPool('sqlite-reader', { workerData: { file } }, 2);
    await idle.close();
    expect(started).not.toHaveBeenCalled();
    const pool = new WorkerPool('sqlite-reader', { workerData: { file } }, 2);
    try {
      expect(started).not.toHaveBeenCalled();
      expect(await pool.call('count', [['main', 't'], emptyView])).toBe(3);
      expect(started).toHaveBeenCalledTimes(2);
      expect(await pool.call('count', [['main', 't'], emptyView])).toBe(3);
      expect(started).toHaveBeenCalledTimes(2);
    } finally {
      await pool.close();
    }
  });

  it('cancels a running call at once, then serves the next one on a fresh worker', async () => {
    const pool = new WorkerPool('sqlite-reader', { workerData: { file } }, 1);
    try {
      const controller = new AbortController();
      const running = pool.call('count', [['main', 'slow'], emptyView], {
        signal: controller.signal,
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      controller.abort();
      const error = await running.catch((e: unknown) => e);
      expect(isCancelled(error)).toBe(true);
      expect(performance.now() - started).toBeLessThan(500);
      expect(await pool.call('count', [['main', 't'], emptyView])).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('drops a queued call without disturbing the one running', async () => {
    const pool = new WorkerPool('sqlite-reader', { workerData: { file } }, 1);
    try {
      const first = new AbortController();
      const running = pool.call('count', [['main', 'slow'], emptyView], { signal: first.signal });
      const second = new AbortController();
      let queuedSettled = false;
      const queued = pool
        .call('count', [['main', 't'], emptyView], { signal: second.signal })
        .finally(() => (queuedSettled = true));
      second.abort();
      expect(isCancelled(await queued.catch((e: unknown) => e))).toBe(true);
      // The running call is still going (a cancelled neighbour did not restart its worker).
      let runningSettled = false;
      void running.catch(() => undefined).finally(() => (runningSettled = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(queuedSettled).toBe(true);
      expect(runningSettled).toBe(false);
      first.abort();
      expect(isCancelled(await running.catch((e: unknown) => e))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('rejects calls with an aborted signal or on a closed pool', async () => {
    const pool = new WorkerPool('sqlite-reader', { workerData: { file } }, 1);
    const controller = new AbortController();
    controller.abort();
    expect(
      isCancelled(
        await pool.call('tree', [], { signal: controller.signal }).catch((e: unknown) => e),
      ),
    ).toBe(true);
    await pool.close();
    await expect(pool.call('tree', [])).rejects.toMatchObject({ code: 'unavailable' });
  });
});
