/**
 * Every Backend scanned the same way: its own `scan` where it has one, else its pages read
 * through dataset-reader.ts (Redis, MongoDB, folders and buckets of files) and handed on as the
 * same stream of batches — the one adapter between the two read paths.
 *
 * The paged path keeps the limits of `page`/`cell` (values past 1 MiB of text or 64 KiB of blob
 * are cut, counted in `lossyCells`), orders by the view's sort as the store does it, and reads a
 * key range by skipping the rows before it and stopping after it.
 */
import type { Backend } from '../backends/backend.js';
import { compareKeys, type RowBatches, type RowValue, type ScanOptions } from '../backends/scan.js';
import type { DatasetPath, DatasetSchema, ViewSpec } from '../../shared/model.js';
import { AppError } from '../../shared/errors.js';
import { keysetColumn, readDataset } from './dataset-reader.js';

export interface RowScan {
  batches: RowBatches;
  /** Cells that could not be read whole (paged path only); final once `batches` is done. */
  lossyCells(): number;
}

/** Pages read ahead of the consumer on the paged path. */
const readAhead = 2;

export function scanRows(
  backend: Backend,
  path: DatasetPath,
  schema: DatasetSchema,
  options: ScanOptions,
): RowScan {
  if (backend.scan) return { batches: backend.scan(path, options), lossyCells: () => 0 };
  const counter = { lossy: 0 };
  return {
    batches: pagedScan(backend, path, schema, options, counter),
    lossyCells: () => counter.lossy,
  };
}

async function* pagedScan(
  backend: Backend,
  path: DatasetPath,
  schema: DatasetSchema,
  options: ScanOptions,
  counter: { lossy: number },
): AsyncGenerator<RowValue[][]> {
  const orderBy = [...(options.orderBy ?? schema.key)];
  const keyIndexes = orderBy.map((k) => schema.columns.findIndex((c) => c.name === k));
  const { range } = options;
  if (range && orderBy.length === 0) {
    throw new AppError('invalid-input', 'A key range needs the key columns to order by');
  }
  const view: ViewSpec = {
    sort: orderBy.map((column) => ({ column, direction: 'asc' })),
    filters: [],
  };
  const keyset = keysetColumn(schema, orderBy);
  const stop = new AbortController();
  const outer = options.signal;
  const onAbort = () => stop.abort();
  outer?.addEventListener('abort', onAbort);

  const queue: RowValue[][][] = [];
  let finished = false;
  let pastRange = false;
  let failure: unknown;
  let wakeConsumer: (() => void) | undefined;
  let wakeReader: (() => void) | undefined;
  const keyOf = (row: RowValue[]) => keyIndexes.map((i) => row[i]!);
  const reading = readDataset(backend, path, view, {
    signal: stop.signal,
    ...(keyset ? { keyset } : {}),
    onPage: async (rows) => {
      let kept = rows;
      if (range) {
        kept = rows.filter((row) => {
          const key = keyOf(row);
          if (range.from && compareKeys(key, range.from) < 0) return false;
          if (range.to && compareKeys(key, range.to) >= 0) pastRange = true;
          return !pastRange;
        });
      }
      if (kept.length > 0) queue.push(kept);
      wakeConsumer?.();
      if (pastRange) stop.abort();
      while (queue.length >= readAhead && !stop.signal.aborted) {
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
    },
  }).then(
    (summary) => void (counter.lossy = summary.lossyCells),
    (error: unknown) => void (failure = error),
  );
  void reading.finally(() => {
    finished = true;
    wakeConsumer?.();
  });

  try {
    for (;;) {
      while (queue.length === 0 && !finished) {
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
      }
      const batch = queue.shift();
      wakeReader?.();
      if (batch) {
        yield batch;
        continue;
      }
      if (outer?.aborted) throw new AppError('cancelled', 'Cancelled');
      // Stopping at the end of the range cancels the read: that is its end, not a failure.
      if (failure !== undefined && !pastRange) throw failure;
      return;
    }
  } finally {
    outer?.removeEventListener('abort', onAbort);
    stop.abort();
    wakeReader?.();
    await reading;
  }
}
