/**
 * Snapshots as diff sides. A snapshot's rows are its chunks, decoded in manifest order (the order
 * of its key). Between two snapshots with the same columns, a chunk whose hash both manifests list
 * holds the very same rows on both sides, so the pair is set aside undecoded (its rows can only
 * be unchanged: a key's row in A is that same row in B); only the chunks left are read and merged.
 * The cost of a diff then follows the size of the change, not of the table.
 */
import { AppError } from '../../shared/errors.js';
import type { RowBatches } from '../backends/scan.js';
import { decodeRows } from '../versions/canonical.js';
import type { StoreLayout } from '../versions/layout.js';
import type { ChunkRef, Manifest } from '../versions/manifest.js';
import { ObjectStore } from '../versions/object-store.js';
import type { RowSource } from './row-source.js';

const numericKeyTypes = new Set(['integer', 'bigint', 'decimal', 'float']);

/**
 * The key a snapshot's chunks are ordered by, when that order is the one diffs agree on: numbers
 * order alike everywhere, and SQLite's BINARY order is that order; other stores' text collations
 * may not be, and those snapshots are sorted again.
 */
function trustedOrder(manifest: Manifest): readonly string[] | undefined {
  const numeric = manifest.key.every((k) =>
    numericKeyTypes.has(manifest.columns.find((c) => c.name === k)?.type ?? ''),
  );
  return numeric || manifest.dataset.connectionKind === 'sqlite' ? manifest.key : undefined;
}

async function* decodeChunks(
  layout: StoreLayout,
  manifest: Manifest,
  chunks: readonly ChunkRef[],
  signal: AbortSignal,
  onDecoded: () => void,
): RowBatches {
  let i = 0;
  for await (const bytes of readChunks(layout, chunks, signal, onDecoded)) {
    yield decodeRows(bytes, manifest.columns.length, `object ${chunks[i++]!.hash}`);
  }
}

/** The chunks' canonical bytes, in order, each checked against its hash. */
async function* readChunks(
  layout: StoreLayout,
  chunks: readonly ChunkRef[],
  signal: AbortSignal,
  onDecoded: () => void,
): AsyncIterable<Buffer> {
  const store = new ObjectStore(layout);
  const read = (i: number) => {
    const reading = store.read(chunks[i]!.hash, chunks[i]!.bytes);
    reading.catch(() => undefined); // awaited below, in order
    return reading;
  };
  let next = chunks.length > 0 ? read(0) : undefined;
  for (let i = 0; i < chunks.length; i++) {
    const bytes = await next!;
    // Read (and check) the next chunk while this one is decoded and merged.
    next = i + 1 < chunks.length ? read(i + 1) : undefined;
    if (signal.aborted) throw new AppError('cancelled', 'Diff cancelled');
    onDecoded();
    yield bytes;
  }
}

function chunkSource(
  layout: StoreLayout,
  manifest: Manifest,
  chunks: readonly ChunkRef[],
  onDecoded: () => void,
): RowSource {
  const ordered = trustedOrder(manifest);
  const inKeyOrder = (key: readonly string[]) =>
    ordered !== undefined && ordered.length === key.length && ordered.every((k, i) => k === key[i]);
  return {
    columns: manifest.columns,
    key: manifest.datasetKey,
    read(key, signal) {
      const rows = decodeChunks(layout, manifest, chunks, signal, onDecoded);
      return inKeyOrder(key) ? { rows, orderedBy: key } : { rows };
    },
    readEncoded(key, signal) {
      return inKeyOrder(key) ? readChunks(layout, chunks, signal, onDecoded) : undefined;
    },
  };
}

export interface ChunkCount {
  total: number;
  skipped: number;
  decoded: number;
}

export function snapshotSource(
  layout: StoreLayout,
  manifest: Manifest,
  count: ChunkCount,
): RowSource {
  count.total += manifest.chunks.length;
  return chunkSource(layout, manifest, manifest.chunks, () => count.decoded++);
}

const sameColumns = (a: Manifest, b: Manifest) =>
  a.columns.length === b.columns.length &&
  a.columns.every((c, i) => c.name === b.columns[i]!.name && c.type === b.columns[i]!.type);

/**
 * Both snapshots with the chunks they share set aside (as a multiset: a chunk listed twice on one
 * side and once on the other keeps one), or undefined when their columns differ (the same bytes
 * would not mean the same rows).
 */
export function snapshotPair(
  layout: StoreLayout,
  a: Manifest,
  b: Manifest,
  count: ChunkCount,
): { a: RowSource; b: RowSource; unchangedRows: number } | undefined {
  if (!sameColumns(a, b)) return undefined;
  const inB = new Map<string, number>();
  for (const chunk of b.chunks) inB.set(chunk.hash, (inB.get(chunk.hash) ?? 0) + 1);
  const shared = new Map<string, number>();
  let unchangedRows = 0;
  const onlyA = a.chunks.filter((chunk) => {
    const left = inB.get(chunk.hash) ?? 0;
    if (left === 0) return true;
    inB.set(chunk.hash, left - 1);
    shared.set(chunk.hash, (shared.get(chunk.hash) ?? 0) + 1);
    unchangedRows += chunk.rows;
    return false;
  });
  const onlyB = b.chunks.filter((chunk) => {
    const left = shared.get(chunk.hash) ?? 0;
    if (left === 0) return true;
    shared.set(chunk.hash, left - 1);
    return false;
  });
  count.total += a.chunks.length + b.chunks.length;
  count.skipped += a.chunks.length - onlyA.length + (b.chunks.length - onlyB.length);
  const decoded = () => count.decoded++;
  return {
    a: chunkSource(layout, a, onlyA, decoded),
    b: chunkSource(layout, b, onlyB, decoded),
    unchangedRows,
  };
}
