/**
 * Taking a snapshot: scan the dataset in key order, encode rows canonically, cut chunks at
 * content-defined boundaries, store each chunk once, then write the manifest — last. Three
 * threads overlap: the engine reads (and, where it scans in a worker, encodes) the next batches,
 * this thread chunks and hashes, the versions worker compresses; bounded queues between them
 * (the scan's window, `inFlight` chunks) keep memory flat whatever the row count.
 *
 * Cancel, a failure or a full disk: no manifest is written, the pin is dropped, and the objects
 * this snapshot added (and nothing else has come to need) are removed: the store is as it was.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { DatasetSchema } from '../../shared/model.js';
import type { SnapshotSource } from '../../shared/versions.js';
import type { Backend } from '../backends/backend.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { encodingName } from './canonical.js';
import { Chunker, defaultChunking, type Chunk } from './chunker.js';
import { compressionName, hashBytes, hashName } from './codec.js';
import { discardObjects } from './gc.js';
import { keyCells } from './key-cells.js';
import type { StoreLayout } from './layout.js';
import {
  readManifests,
  sealManifest,
  writeManifest,
  type ChunkRef,
  type Manifest,
} from './manifest.js';
import { ObjectStore } from './object-store.js';
import { Pin } from './pins.js';
import { scanRows } from './scan-rows.js';

export interface SnapshotRequest {
  backend: Backend;
  source: SnapshotSource;
  message: string;
  /** Columns to order and chunk by; the dataset's key when absent. */
  key?: string[];
}

export const noKeyNote =
  'The dataset has no key: rows are in a stable order of all columns, so an edit may move rows between chunks.';

/** Chunks being compressed at once: enough to keep the worker busy, few enough to bound memory. */
const inFlight = 4;

export async function takeSnapshot(
  layout: StoreLayout,
  pool: WorkerPool,
  request: SnapshotRequest,
  job: JobContext,
): Promise<Manifest> {
  const { backend, source } = request;
  const { signal } = job;
  const schema = await backend.describe(source.path, { signal });
  const { key, keyNote } = chooseKey(schema, request.key);
  const columns = schema.columns.map((c) => c.name);
  const keyIndexes = key.map((k) => columns.indexOf(k));
  const total = await backend.count(source.path, { sort: [], filters: [] }, { signal });
  const { manifests } = await readManifests(layout);
  const parent = manifests.filter((m) => sameDataset(m.dataset, source)).at(-1)?.id ?? null;
  const id = randomBytes(6).toString('hex');

  const store = new ObjectStore(layout);
  const pin = await Pin.open(layout, 'snapshot', id);
  /** Each distinct chunk of this snapshot, placed once: its stored size when it lands. */
  const placed = new Map<string, Promise<number>>();
  /** Objects this snapshot added to the store: removed again unless it is published. */
  const created = new Set<string>();
  const refs: ChunkRef[] = [];
  const queue: Promise<ChunkRef>[] = [];
  const totals = { canonical: 0, stored: 0, newBytes: 0, newChunks: 0 };
  let published = false;

  const place = async (hash: string, bytes: Buffer): Promise<number> => {
    await pin.add([hash], signal);
    const existing = await store.size(hash);
    if (existing !== undefined) return existing;
    const data = await pool.call<Uint8Array>('compress', [bytes], { signal });
    created.add(hash);
    await store.put(hash, data);
    totals.newBytes += data.byteLength;
    totals.newChunks++;
    return data.byteLength;
  };
  /** Hashing happens here, in chunk order; compression in the worker, several chunks at once. */
  const storeChunk = async (chunk: Chunk): Promise<ChunkRef> => {
    const hash = hashBytes(chunk.bytes);
    let placing = placed.get(hash);
    if (!placing) {
      placing = place(hash, chunk.bytes);
      placed.set(hash, placing);
    }
    return {
      hash,
      rows: chunk.rows,
      bytes: chunk.bytes.byteLength,
      stored: await placing,
      firstKey: keyCells(chunk.firstKey),
      lastKey: keyCells(chunk.lastKey),
    };
  };
  const settle = async (limit: number) => {
    while (queue.length > limit) refs.push(await queue.shift()!);
  };
  const add = async (chunk: Chunk | undefined) => {
    if (!chunk) return;
    totals.canonical += chunk.bytes.byteLength;
    queue.push(storeChunk(chunk));
    queue.at(-1)!.catch(() => undefined); // awaited in order by settle(); never unhandled
    await settle(inFlight);
  };

  try {
    const chunker = new Chunker(columns.length, keyIndexes, defaultChunking);
    let done = 0;
    const progress = (rows: number) => {
      done += rows;
      job.progress(done, Math.max(total, done));
    };
    const scanOptions = { signal, orderBy: key };
    let lossyCells = 0;
    if (backend.scanEncoded) {
      // Rows come encoded from the engine's thread: chunked and hashed as they are.
      for await (const batch of backend.scanEncoded(source.path, scanOptions)) {
        for (const chunk of chunker.pushEncoded(batch.bytes)) await add(chunk);
        progress(batch.rows);
      }
    } else {
      const scan = scanRows(backend, source.path, schema, scanOptions);
      for await (const rows of scan.batches) {
        for (const row of rows) await add(chunker.push(row));
        progress(rows.length);
      }
      lossyCells = scan.lossyCells();
    }
    await add(chunker.flush());
    await settle(0);
    for (const ref of refs) totals.stored += ref.stored;
    if (signal.aborted) throw new AppError('cancelled', 'Snapshot cancelled');
    await store.flush();
    const manifest = sealManifest({
      format: 1,
      id,
      dataset: source,
      columns: schema.columns,
      datasetKey: schema.key,
      key,
      ...(keyNote ? { keyNote } : {}),
      rows: done,
      canonicalBytes: totals.canonical,
      storedBytes: totals.stored,
      newBytes: totals.newBytes,
      newChunks: totals.newChunks,
      parent,
      createdAt: new Date().toISOString(),
      message: request.message,
      ...(lossyCells > 0
        ? {
            lossy: {
              cells: lossyCells,
              note: 'Some values were longer than Strata can read in one piece (text over 1 MiB, blobs over 64 KiB) and were kept cut short.',
            },
          }
        : {}),
      encoding: encodingName,
      hash: hashName,
      compression: compressionName,
      chunking: defaultChunking,
      chunks: refs,
    });
    await writeManifest(layout, manifest);
    published = true;
    return manifest;
  } finally {
    await Promise.allSettled(queue);
    await pin.release();
    if (!published) {
      await Promise.allSettled(placed.values());
      await discardObjects(layout, created).catch(() => undefined);
    }
  }
}

function chooseKey(
  schema: DatasetSchema,
  requested: string[] | undefined,
): { key: string[]; keyNote?: string } {
  const names = schema.columns.map((c) => c.name);
  if (requested && requested.length > 0) {
    const unknown = requested.find((k) => !names.includes(k));
    if (unknown !== undefined) {
      throw new AppError(
        'invalid-input',
        `The dataset has no column “${unknown}” to key by`,
        `Its columns: ${names.join(', ')}.`,
      );
    }
    return { key: requested };
  }
  if (schema.key.length > 0) return { key: schema.key };
  return { key: names, keyNote: noKeyNote };
}

export function sameDataset(a: SnapshotSource, b: SnapshotSource): boolean {
  return a.connectionId === b.connectionId && a.path.join('\u0000') === b.path.join('\u0000');
}
