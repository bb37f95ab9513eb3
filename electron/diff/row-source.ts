/**
 * One side of a diff as the merge sees it: its columns and own key, and its rows as batches in
 * the order the diff asks for. Where the rows come from — a store's `scan`, pages through
 * `readDataset`, a snapshot's chunks, a CSV file — is decided here and in the files beside it,
 * so the merge never knows.
 */
import type { Column, DatasetPath } from '../../shared/model.js';
import type { Backend } from '../backends/backend.js';
import type { EncodedRows, RowBatches } from '../backends/scan.js';
import { scanRows } from '../versions/scan-rows.js';

export interface SideRows {
  /** The rows, in `orderedBy` order when that is set, else in no order the diff may rely on. */
  rows: RowBatches;
  /** The key columns the rows are known to be in `compareKeys` order of, if any. */
  orderedBy?: readonly string[];
}

export interface RowSource {
  columns: readonly Column[];
  /** The side's own key (empty when it has none). */
  key: readonly string[];
  /** Rows ordered by `key` (or as they come when `key` is empty). */
  read(key: readonly string[], signal: AbortSignal): SideRows;
  /**
   * The rows still encoded (canonical encoding, one buffer per chunk), when the source holds
   * them so and they are in `key` order; see identical-rows.ts.
   */
  readEncoded?(key: readonly string[], signal: AbortSignal): AsyncIterable<Buffer> | undefined;
}

/**
 * Turns a producer that pushes items (and awaits each push, which is its backpressure) into an
 * async iterable: the ingest's reader pushes.
 */
export function pushToPull<T>(
  produce: (push: (item: T) => Promise<void>) => Promise<unknown>,
): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const queue: T[] = [];
      let wake: (() => void) | undefined;
      let resume: (() => void) | undefined;
      let finished = false;
      let failure: { error: unknown } | undefined;
      let stopped = false;
      const push = (item: T) =>
        new Promise<void>((resolve, reject) => {
          if (stopped) {
            reject(new Error('diff reader stopped'));
            return;
          }
          queue.push(item);
          resume = resolve;
          wake?.();
        });
      const running = produce(push).then(
        () => (finished = true),
        (error: unknown) => (failure = { error }),
      );
      try {
        for (;;) {
          if (queue.length > 0) {
            const item = queue.shift()!;
            const go = resume;
            resume = undefined;
            go?.();
            yield item;
            continue;
          }
          if (failure) throw failure.error;
          if (finished) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
            void running.then(() => resolve());
          });
          wake = undefined;
        }
      } finally {
        stopped = true;
        resume?.();
      }
    },
  };
}

async function* asBuffers(batches: AsyncIterable<EncodedRows>): AsyncIterable<Buffer> {
  for await (const batch of batches) {
    yield Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  }
}

const numericKeyTypes = new Set(['integer', 'bigint', 'decimal', 'float']);

/**
 * A live dataset, through versions/scan-rows.ts: `scan` when the store has it (ordered as every
 * diff agrees), and its encoded form where the engine reads in a worker (`scanEncoded`); else
 * pages sorted by the store, trusted to be in that order only for numeric keys (text order
 * depends on the store's collation), otherwise sorted again by the diff.
 */
export async function liveSource(
  backend: Backend,
  path: DatasetPath,
  signal: AbortSignal,
): Promise<RowSource> {
  const schema = await backend.describe(path, { signal });
  return {
    columns: schema.columns,
    key: schema.key,
    read(key, readSignal) {
      const rows = scanRows(backend, path, schema, { orderBy: key, signal: readSignal }).batches;
      if (backend.scan) return { rows, orderedBy: key };
      const numeric = key.every((k) =>
        numericKeyTypes.has(schema.columns.find((c) => c.name === k)?.type ?? ''),
      );
      return numeric && key.length > 0 ? { rows, orderedBy: key } : { rows };
    },
    ...(backend.scanEncoded
      ? {
          readEncoded: (key: readonly string[], readSignal: AbortSignal) =>
            key.length > 0
              ? asBuffers(backend.scanEncoded!(path, { orderBy: key, signal: readSignal }))
              : undefined,
        }
      : {}),
  };
}
