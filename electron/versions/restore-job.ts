/**
 * Restoring a snapshot into any writable store, as a new dataset (`create`) or in place of one
 * (`replace`), through the store's own atomic write session — the same atomicity as an upload:
 * rows are staged and published in one step at commit; cancel, a failure or a crash leaves the
 * target as it was. Every object is checked against its hash as it is read.
 */
import { AppError } from '../../shared/errors.js';
import type { DatasetPath } from '../../shared/model.js';
import type { Backend } from '../backends/backend.js';
import type { WriteSession } from '../backends/writer.js';
import type { JobContext } from '../jobs/job-registry.js';
import { decodeRows } from './canonical.js';
import type { StoreLayout } from './layout.js';
import type { Manifest } from './manifest.js';
import { ObjectStore } from './object-store.js';
import { Pin } from './pins.js';

export interface RestoreRequest {
  manifest: Manifest;
  /** From `connections.writableBackend`: the read-only gate has been passed. */
  backend: Backend;
  path: DatasetPath;
  mode: 'create' | 'replace';
}

export async function restoreSnapshot(
  layout: StoreLayout,
  request: RestoreRequest,
  job: JobContext,
): Promise<{ rowsWritten: number }> {
  const { manifest, backend, path, mode } = request;
  const { signal } = job;
  if (!backend.writer) {
    throw new AppError('read-only', 'Strata cannot write to this kind of store');
  }
  const store = new ObjectStore(layout);
  const pin = await Pin.open(layout, 'restore');
  let session: WriteSession | undefined;
  try {
    await pin.add([...new Set(manifest.chunks.map((c) => c.hash))], signal);
    session = await backend.writer.begin(
      { path, mode, columns: manifest.columns, key: manifest.datasetKey, partitionBy: [] },
      { signal },
    );
    const chunks = manifest.chunks;
    const read = (i: number) => {
      const chunk = chunks[i]!;
      const reading = store.read(chunk.hash, chunk.bytes);
      reading.catch(() => undefined); // awaited below, in order
      return reading;
    };
    let next = chunks.length > 0 ? read(0) : undefined;
    let done = 0;
    for (let i = 0; i < chunks.length; i++) {
      const bytes = await next!;
      // Read (and check) the next chunk while this one is decoded and written.
      next = i + 1 < chunks.length ? read(i + 1) : undefined;
      if (signal.aborted) throw new AppError('cancelled', 'Restore cancelled');
      const rows = decodeRows(bytes, manifest.columns.length, `object ${chunks[i]!.hash}`);
      if (rows.length !== chunks[i]!.rows) {
        throw new AppError(
          'internal',
          `Object ${chunks[i]!.hash} holds ${rows.length} rows, not ${chunks[i]!.rows}`,
        );
      }
      await session.write(rows);
      done += rows.length;
      job.progress(done, manifest.rows);
    }
    if (signal.aborted) throw new AppError('cancelled', 'Restore cancelled');
    const result = await session.commit();
    session = undefined;
    return result;
  } finally {
    if (session) await session.abort().catch(() => undefined);
    await pin.release();
  }
}
