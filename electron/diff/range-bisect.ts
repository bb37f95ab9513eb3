/**
 * Which key ranges of two live datasets differ, found without moving their rows: both stores
 * checksum the same key ranges (Backend.checksumRanges), ranges whose count and checksum agree
 * are settled, and only the ranges that differ are cut again (Backend.keyBoundaries) until they
 * are small — data-diff's bisection. The diff then scans just the ranges answered here.
 *
 * The two sides are cut at the same keys (taken from the side with more rows in the range), so
 * every range compared is the same key range on both. A range that cannot be cut further (one
 * key, or no rows on the side asked) is answered as it is, whatever its size.
 */
import { AppError } from '../../shared/errors.js';
import type { DatasetPath } from '../../shared/model.js';
import type { Backend, RangeChecksum } from '../backends/backend.js';
import { mapLimit } from '../backends/file-datasets/catalog.js';
import { portableHash } from '../backends/range-checksum-rules.js';
import { compareKeys, type KeyRange, type RowValue } from '../backends/scan.js';

export interface BisectSide {
  backend: Backend;
  path: DatasetPath;
}

export interface BisectProgress {
  /** Ranges checksummed so far (on both sides). */
  rangesChecked: number;
  /** Rows (the larger side's) in ranges already found equal or answered as differing. */
  rowsCovered: number;
}

export interface BisectOptions {
  signal?: AbortSignal;
  onProgress?(progress: BisectProgress): void;
  /**
   * Segments the whole key space is cut into first; 1,024 when absent. data-diff starts at 32,
   * but there each segment is a query of its own; here adjacent segments share one grouped scan
   * (sql/range-checksum.ts), so a fine first cut costs the same single pass over the table and
   * spares a second pass over every segment a scattered change touches (measured in
   * test/bench/diff-live.bench.ts: half the time of 32 segments with 100 scattered changes).
   */
  segments?: number;
  /** Segments a differing range is cut into; 16 when absent. */
  factor?: number;
  /** A differing range with at most this many rows (either side) is answered; 1,000 when absent. */
  minRows?: number;
  /** Forces a row hash both stores offer; the fastest they share when absent. */
  hash?: string;
  /** Ranges cut at once (a boundary query each where the store must be asked); 2 when absent. */
  concurrency?: number;
}

interface Pending {
  range: KeyRange;
  rows: [number, number] | undefined;
}

type Checked = { settled: number; found: KeyRange[]; pending: Pending[] };

function supported(side: BisectSide, label: string): Required<Pick<Backend, 'checksumRanges'>> {
  if (!side.backend.checksumRanges) {
    throw new AppError(
      'invalid-input',
      `The ${label} side (${side.path.join('.')}) is in a store that cannot checksum key ranges`,
      'Compare it by scanning both sides instead.',
    );
  }
  return side.backend as Required<Pick<Backend, 'checksumRanges'>>;
}

/** `range` cut at `bounds` (ascending keys strictly inside it). */
export function splitRange(range: KeyRange, bounds: readonly (readonly RowValue[])[]): KeyRange[] {
  const edges = [range.from, ...bounds, range.to];
  const ranges: KeyRange[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = edges[i];
    const to = edges[i + 1];
    ranges.push({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
  }
  return ranges;
}

/** Sorted ranges with the ones that touch (one's end is the next's start) joined. */
export function mergeAdjacent(ranges: readonly KeyRange[]): KeyRange[] {
  const sorted = [...ranges].sort((x, y) => {
    if (!x.from) return y.from ? -1 : 0;
    if (!y.from) return 1;
    return compareKeys(x.from, y.from);
  });
  const merged: KeyRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last?.to && range.from && compareKeys(last.to, range.from) === 0) {
      merged[merged.length - 1] = {
        ...(last.from ? { from: last.from } : {}),
        ...(range.to ? { to: range.to } : {}),
      };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** The first of a's row hashes b also has: engine-native between two stores of one engine. */
function commonHash(a: Backend, b: Backend): string {
  const theirs = b.rangeChecksumHashes ?? [portableHash];
  return (a.rangeChecksumHashes ?? [portableHash]).find((h) => theirs.includes(h)) ?? portableHash;
}

const same = (x: RangeChecksum, y: RangeChecksum) => x.rows === y.rows && x.checksum === y.checksum;

export async function differingRanges(
  a: BisectSide,
  b: BisectSide,
  key: string[],
  columns: string[],
  options: BisectOptions = {},
): Promise<KeyRange[]> {
  const sides = [supported(a, 'first'), supported(b, 'second')] as const;
  if (!a.backend.keyBoundaries && !b.backend.keyBoundaries) {
    throw new AppError('invalid-input', 'Neither store can cut its key space into ranges');
  }
  if (key.length === 0) {
    throw new AppError('invalid-input', 'Range comparison needs a key', 'Pass the key columns.');
  }
  const hash = options.hash ?? commonHash(a.backend, b.backend);
  const { signal } = options;
  const query = signal ? { signal } : {};
  const minRows = options.minRows ?? 1_000;
  const progress: BisectProgress = { rangesChecked: 0, rowsCovered: 0 };
  const throwIfCancelled = () => {
    if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
  };

  /** Inner keys cutting `pending` into `segments`, asked of the side holding more of its rows. */
  const cut = async (pending: Pending, segments: number): Promise<RowValue[][]> => {
    const [rowsA, rowsB] = pending.rows ?? [0, 0];
    const order = rowsB > rowsA ? [b, a] : [a, b];
    for (const side of order) {
      if (!side.backend.keyBoundaries) continue;
      const rows = pending.rows ? (side === a ? rowsA : rowsB) : undefined;
      const request = {
        key,
        range: pending.range,
        segments,
        ...(rows === undefined ? {} : { rows }),
      };
      const bounds = await side.backend.keyBoundaries(side.path, request, query);
      if (bounds.length > 0) return bounds;
    }
    return [];
  };

  /**
   * One level: cut every pending range, then checksum all their segments in one request per side
   * (the stores answer scattered ranges with a few grouped scans, not a query per range).
   */
  const checkLevel = async (level: readonly Pending[], segments: number): Promise<Checked> => {
    throwIfCancelled();
    const cuts = await mapLimit(level, options.concurrency ?? 2, async (p) => {
      const bounds = await cut(p, segments);
      return splitRange(p.range, bounds).map((range) => ({ range, final: bounds.length === 0 }));
    });
    const segmentsToCheck = cuts.flat();
    const request = { key, columns, ranges: segmentsToCheck.map((s) => s.range), hash };
    const [sumsA, sumsB] = await Promise.all([
      sides[0].checksumRanges(a.path, request, query),
      sides[1].checksumRanges(b.path, request, query),
    ]);
    const checked: Checked = { settled: 0, found: [], pending: [] };
    segmentsToCheck.forEach(({ range, final }, i) => {
      const x = sumsA[i]!;
      const y = sumsB[i]!;
      const rows = Math.max(x.rows, y.rows);
      if (same(x, y)) {
        checked.settled += rows;
      } else if (rows <= minRows || final) {
        checked.settled += rows;
        checked.found.push(range);
      } else {
        checked.pending.push({ range, rows: [x.rows, y.rows] });
      }
    });
    progress.rangesChecked += segmentsToCheck.length;
    progress.rowsCovered += checked.settled;
    options.onProgress?.({ ...progress });
    return checked;
  };

  const found: KeyRange[] = [];
  let pending: Pending[] = [{ range: {}, rows: undefined }];
  let segments = options.segments ?? 1024;
  while (pending.length > 0) {
    const level = await checkLevel(pending, segments);
    throwIfCancelled();
    pending = level.pending;
    found.push(...level.found);
    segments = options.factor ?? 16;
  }
  return mergeAdjacent(found);
}
