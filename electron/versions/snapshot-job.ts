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
import type { Column, DatasetSchema } from '../../shared/model.js';
import type { SnapshotSource } from '../../shared/versions.js';
import type { Backend } from '../backends/backend.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import { encodingName } from './canonical.js';
import { Chunker, defaultChunking, type Chunk } from './chunker.js';
import { compressionName, hashBytes, hashName } from './codec.js';
import { DeltaBases } from './delta-bases.js';
import { discardObjects } from './gc.js';
import { PackWriter, type AppendedObject } from './packs.js';
import { ChunkRing } from './chunk-ring.js';
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

/**
 * Chunks go to the compressing worker in groups (about half a MiB at the default chunk size),
 * a few groups at once: enough to keep the worker busy, few enough to bound memory.
 */
const groupChunks = 8;
const groupsInFlight = 2;
/** Holds the chunks of the groups in flight several times over (chunk-ring.ts). */
const ringBytes = 4 << 20;

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
  // The fingerprint is taken before any row is read: a write after it can only make the next
  // fingerprint differ. The three are independent, and each waits on I/O: asked together.
  const [total, { manifests }, fingerprint] = await Promise.all([
    backend.count(source.path, { sort: [], filters: [] }, { signal }),
    readManifests(layout),
    backend.fingerprint?.(source.path, { signal }).catch(() => undefined),
  ]);
  const parentManifest = manifests.filter((m) => sameDataset(m.dataset, source)).at(-1);
  const parent = parentManifest?.id ?? null;
  const id = randomBytes(6).toString('hex');
  if (
    fingerprint !== undefined &&
    parentManifest?.sourceFingerprint === fingerprint &&
    sameKey(parentManifest.key, key) &&
    sameColumns(parentManifest.columns, schema.columns)
  ) {
    const reused = await reuseParent(
      layout,
      parentManifest,
      { ...request, id, keyNote, datasetKey: schema.key },
      job,
    );
    if (reused) return reused;
  }

  const store = new ObjectStore(layout);
  // A chunk the parent had in another version is stored as a delta of it (codec.ts).
  const deltaBases =
    parentManifest && sameKey(parentManifest.key, key)
      ? new DeltaBases(parentManifest.chunks, store)
      : undefined;
  const pin = await Pin.open(layout, 'snapshot', id);
  /** Each distinct chunk of this snapshot, placed once: its stored size when it lands. */
  const placed = new Map<string, Promise<number>>();
  /**
   * Objects this snapshot added to the store (removed again unless it is published), each with
   * what it is a delta of (undefined: a whole frame), known without reading it back.
   */
  const created = new Map<string, string | undefined>();
  /** Where they go: one pack for the whole snapshot (packs.ts). */
  const pack = new PackWriter(layout);
  let packName: string | undefined;
  const refs: ChunkRef[] = [];
  const queue: Promise<{ refs: ChunkRef[]; last: Chunk }>[] = [];
  const ring = new ChunkRing(ringBytes);
  let packFile: string | undefined;
  const totals = { canonical: 0, stored: 0, newBytes: 0, newChunks: 0 };
  let published = false;

  /**
   * Places a group's chunks whose hashes this snapshot has not placed yet (pinned already, see
   * `add`): each found in the store is reused; the rest are compressed in one call to the worker
   * and appended to the pack in one write. Answers each chunk's stored size.
   */
  const place = async (chunks: readonly Chunk[], hashes: readonly string[]): Promise<number[]> => {
    const sizes: number[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < chunks.length; i++) {
      const existing = await store.size(hashes[i]!);
      if (existing === undefined) fresh.push(i);
      sizes.push(existing ?? 0);
    }
    if (fresh.length === 0) return sizes;
    packFile ??= await pack.file();
    const bases = await Promise.all(
      fresh.map((i) =>
        deltaBases?.find(chunks[i]!.firstKey, (baseHash) => pin.add([baseHash], signal)),
      ),
    );
    const records = await pool.call<AppendedObject[]>(
      'compressToPack',
      [packFile, fresh.map((i) => chunks[i]!.bytes), fresh.map((i) => hashes[i]!), bases],
      { signal, affinity: packFile },
    );
    pack.adopt(records);
    records.forEach((record, n) => {
      created.set(record.hash, record.base);
      sizes[fresh[n]!] = record.length;
    });
    totals.newChunks += fresh.length;
    return sizes;
  };
  const storeGroup = async (chunks: readonly Chunk[], hashes: readonly string[]) => {
    const refs = chunks.map((chunk, i) => ({
      hash: hashes[i]!,
      rows: chunk.rows,
      bytes: chunk.bytes.byteLength,
      firstKey: keyCells(chunk.firstKey),
      lastKey: keyCells(chunk.lastKey),
    }));
    // A hash seen before (in this group or an earlier one) is placed once, by the first.
    const mine: number[] = [];
    const seen = new Set<string>();
    hashes.forEach((hash, i) => {
      if (placed.has(hash) || seen.has(hash)) return;
      seen.add(hash);
      mine.push(i);
    });
    const placing = place(
      mine.map((i) => chunks[i]!),
      mine.map((i) => hashes[i]!),
    );
    mine.forEach((i, n) => {
      const size = placing.then((sizes) => sizes[n]!);
      size.catch(() => undefined); // awaited below, or by the group that reuses it
      placed.set(hashes[i]!, size);
    });
    const stored = await Promise.all(hashes.map((hash) => placed.get(hash)!));
    return { refs: refs.map((ref, i) => ({ ...ref, stored: stored[i]! })), last: chunks.at(-1)! };
  };
  /** Groups finish in order, so their chunks leave the ring in the order they came. */
  const settle = async (limit: number) => {
    while (queue.length > limit) {
      const done = await queue.shift()!;
      refs.push(...done.refs);
      ring.release(done.last.bytes);
    }
  };
  /** Chunks cut but not yet sent. */
  let group: Chunk[] = [];
  /**
   * Hashing happens here, in chunk order; compression in the worker, a group of chunks per call,
   * several groups at once. A group's new hashes are pinned in one write, before any of them is
   * looked for in the store.
   */
  const send = async () => {
    const chunks = group;
    group = [];
    if (chunks.length === 0) return;
    const hashes = chunks.map((chunk) => hashBytes(chunk.bytes));
    await pin.add([...new Set(hashes.filter((hash) => !placed.has(hash)))], signal);
    for (const chunk of chunks) totals.canonical += chunk.bytes.byteLength;
    queue.push(storeGroup(chunks, hashes));
    queue.at(-1)!.catch(() => undefined); // awaited in order by settle(); never unhandled
    await settle(groupsInFlight);
  };
  const add = async (chunks: readonly (Chunk | undefined)[]) => {
    for (const chunk of chunks) if (chunk !== undefined) group.push(chunk);
    if (group.length >= groupChunks) await send();
  };

  try {
    const chunker = new Chunker(columns.length, keyIndexes, defaultChunking, (size) =>
      ring.alloc(size),
    );
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
        await add(chunker.pushEncoded(batch.bytes));
        progress(batch.rows);
      }
    } else {
      const scan = scanRows(backend, source.path, schema, scanOptions);
      for await (const rows of scan.batches) {
        for (const row of rows) await add([chunker.push(row)]);
        progress(rows.length);
      }
      lossyCells = scan.lossyCells();
    }
    await add([chunker.flush()]);
    await send();
    await settle(0);
    if (signal.aborted) throw new AppError('cancelled', 'Snapshot cancelled');
    packName = await pack.publish();
    // What the snapshot added to the disk: its pack, record headers included.
    totals.newBytes = packName === undefined ? 0 : pack.size;
    totals.stored = await storedSize(store, refs, created);
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
      ...(fingerprint !== undefined ? { sourceFingerprint: fingerprint } : {}),
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
      await pack.discard().catch(() => undefined);
      await discardObjects(layout, created.keys(), packName).catch(() => undefined);
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

/**
 * What the snapshot takes on disk, shared objects included: each distinct chunk once, and each
 * base a delta among them is stored against (a restore reads it too).
 */
async function storedSize(
  store: ObjectStore,
  refs: readonly ChunkRef[],
  /** The bases of the objects this snapshot wrote: the others' are read from the store. */
  known: ReadonlyMap<string, string | undefined>,
): Promise<number> {
  const sizes = new Map(refs.map((ref) => [ref.hash, ref.stored]));
  let total = 0;
  for (const size of sizes.values()) total += size;
  const bases = new Set<string>();
  for (const hash of sizes.keys()) {
    const base = known.has(hash) ? known.get(hash) : await store.baseOf(hash);
    if (base !== undefined && !sizes.has(base)) bases.add(base);
  }
  for (const base of bases) total += (await store.size(base)) ?? 0;
  return total;
}

/**
 * The dataset is as its parent snapshot saw it: the new snapshot lists the parent's chunks, after
 * checking each is still stored (pinned first, so a gc cannot take one meanwhile). Undefined when
 * one is missing: the rows are then read as for any snapshot.
 */
async function reuseParent(
  layout: StoreLayout,
  parent: Manifest,
  request: SnapshotRequest & { id: string; keyNote: string | undefined; datasetKey: string[] },
  job: JobContext,
): Promise<Manifest | undefined> {
  const pin = await Pin.open(layout, 'snapshot', request.id);
  try {
    const hashes = [...new Set(parent.chunks.map((c) => c.hash))];
    await pin.add(hashes, job.signal);
    const store = new ObjectStore(layout);
    for (const hash of hashes) if (!(await store.has(hash))) return undefined;
    if (job.signal.aborted) throw new AppError('cancelled', 'Snapshot cancelled');
    const { checksum: _checksum, keyNote: _keyNote, ...body } = parent;
    const manifest = sealManifest({
      ...body,
      id: request.id,
      dataset: request.source,
      datasetKey: request.datasetKey,
      ...(request.keyNote ? { keyNote: request.keyNote } : {}),
      newBytes: 0,
      newChunks: 0,
      parent: parent.id,
      reusedFrom: parent.id,
      createdAt: new Date().toISOString(),
      message: request.message,
    });
    await writeManifest(layout, manifest);
    job.progress(parent.rows, parent.rows);
    return manifest;
  } finally {
    await pin.release();
  }
}

function sameColumns(a: readonly Column[], b: readonly Column[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (c, i) =>
        c.name === b[i]!.name &&
        c.type === b[i]!.type &&
        c.nativeType === b[i]!.nativeType &&
        c.nullable === b[i]!.nullable,
    )
  );
}

function sameKey(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

export function sameDataset(a: SnapshotSource, b: SnapshotSource): boolean {
  return a.connectionId === b.connectionId && a.path.join('\u0000') === b.path.join('\u0000');
}
