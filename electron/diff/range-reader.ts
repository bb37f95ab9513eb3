/**
 * Live SQL against live SQL: ask both servers for checksums of key ranges (range-bisect.ts finds
 * the ranges that differ), then scan only those ranges on both sides, in key order, for the
 * merge. Rows in ranges whose checksums agree never cross the network.
 */
import type { DatasetPath } from '../../shared/model.js';
import type { Backend } from '../backends/backend.js';
import type { KeyRange, RowBatches } from '../backends/scan.js';
import type { DiffPlan } from './plan.js';
import { differingRanges } from './range-bisect.js';
import type { RangeReader } from './run-diff.js';

interface LiveSide {
  backend: Backend;
  path: DatasetPath;
}

async function* scanRanges(
  side: LiveSide,
  key: readonly string[],
  ranges: readonly KeyRange[],
  signal: AbortSignal,
): RowBatches {
  for (const range of ranges) yield* side.backend.scan!(side.path, { orderBy: key, range, signal });
}

const sameNames = (x: readonly string[], y: readonly string[]) =>
  x.length === y.length && x.every((name, i) => name === y[i]);

/** A reader when both stores can checksum ranges and scan them; else the diff streams all. */
export function rangeReader(a: LiveSide, b: LiveSide): RangeReader | undefined {
  const able = (side: LiveSide) => side.backend.checksumRanges && side.backend.scan;
  if (!able(a) || !able(b) || !(a.backend.keyBoundaries ?? b.backend.keyBoundaries)) {
    return undefined;
  }
  return {
    async read(plan: DiffPlan, signal: AbortSignal, onRowsCovered?: (rows: number) => void) {
      const compared = plan.merge.compared;
      // The servers checksum columns by name: both sides must spell the key and columns alike.
      const namesA = compared.map((c) => plan.columns[c.union]!.name);
      const inB = compared.every((c) => plan.columns[c.union]!.inB);
      if (!sameNames(plan.keyA, plan.keyB) || !inB) return undefined;
      const ranges = await differingRanges(a, b, plan.keyA, [...plan.keyA, ...namesA], {
        signal,
        ...(onRowsCovered ? { onProgress: (p) => onRowsCovered(p.rowsCovered) } : {}),
      });
      const rowsA = await a.backend.count(a.path, { sort: [], filters: [] }, { signal });
      return {
        a: scanRanges(a, plan.keyA, ranges, signal),
        b: scanRanges(b, plan.keyB, ranges, signal),
        rowsA,
        differing: ranges.length,
      };
    },
  };
}
