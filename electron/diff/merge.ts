/**
 * The merges at the heart of a diff. Keyed: both sides' rows arrive in key order
 * (`compareKeys`), are walked together once, and each key is added, removed, changed (with the
 * indices of the cells that differ) or unchanged. Without a key: both sides arrive sorted by
 * their whole rows; equal rows cancel, and what is left over on either side is a removed or
 * added row with how many copies.
 */
import { AppError } from '../../shared/errors.js';
import type { DiffCounts, DiffTolerance } from '../../shared/diff.js';
import { compareKeys, type RowBatches, type RowValue } from '../backends/scan.js';
import { coerceKeyCell, sameCell, type CompareMode } from './cell-compare.js';
import type { StoredChange } from './change-store.js';

export interface MergePlan {
  /** Columns of the diff grid (the union of both sides'). */
  width: number;
  aToUnion: readonly number[];
  bToUnion: readonly number[];
  aKey: readonly number[];
  bKey: readonly number[];
  /** Key columns whose type differs between the sides: matched by `coerceKeyCell`. */
  coerceKey: readonly boolean[];
  /** Columns compared: both sides have them, not key, not ignored. */
  compared: ReadonlyArray<{ union: number; a: number; b: number; mode: CompareMode }>;
  tolerance?: DiffTolerance | undefined;
}

export type ChangeSink = (change: Omit<StoredChange, 'index'>) => void;

export interface MergeResult {
  counts: DiffCounts;
  /** Changed cells per union column. */
  changedCells: number[];
  rowsRead: { a: number; b: number };
}

export interface MergeOptions {
  signal: AbortSignal;
  onRows?(read: { a: number; b: number }): void;
}

/** Reports the rows read on both sides every 10,000 rows, and stops a cancelled merge there. */
class MergeProgress {
  private reported = 0;

  constructor(
    private readonly a: Cursor,
    private readonly b: Cursor,
    private readonly options: MergeOptions,
  ) {}

  /** After each step of a merge. */
  step(): void {
    const read = this.a.read + this.b.read;
    if (read - this.reported < 10_000) return;
    this.reported = read;
    if (this.options.signal.aborted) throw new AppError('cancelled', 'Diff cancelled');
    this.report();
  }

  report(): void {
    this.options.onRows?.({ a: this.a.read, b: this.b.read });
  }
}

/** Walks batches row by row; waits only when a batch runs out. */
class Cursor {
  private batch: RowValue[][] = [];
  private i = 0;
  private done = false;
  read = 0;
  private readonly iterator: AsyncIterator<RowValue[][]>;

  constructor(rows: RowBatches) {
    this.iterator = rows[Symbol.asyncIterator]();
  }

  /** The current row, or undefined at the end (call `ready` first). */
  get row(): RowValue[] | undefined {
    return this.batch[this.i];
  }

  async ready(): Promise<void> {
    while (this.i >= this.batch.length && !this.done) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else {
        this.batch = next.value;
        this.i = 0;
        this.read += next.value.length;
      }
    }
  }

  advance(): void {
    this.i++;
  }

  async stop(): Promise<void> {
    if (!this.done) await this.iterator.return?.();
  }
}

function toUnion(row: readonly RowValue[], map: readonly number[], width: number): RowValue[] {
  const out = new Array<RowValue>(width).fill(null);
  for (let i = 0; i < map.length; i++) out[map[i]!] = row[i] ?? null;
  return out;
}

function keyOf(row: readonly RowValue[], indexes: readonly number[], coerce: readonly boolean[]) {
  return indexes.map((i, k) => (coerce[k] ? coerceKeyCell(row[i] ?? null) : (row[i] ?? null)));
}

function outOfOrder(side: string): AppError {
  return new AppError(
    'internal',
    `Side ${side} of the diff sent rows out of key order`,
    'The key may not be unique, or the store sorts text its own way; try another key or report it.',
  );
}

export async function mergeKeyed(
  aRows: RowBatches,
  bRows: RowBatches,
  plan: MergePlan,
  sink: ChangeSink,
  options: MergeOptions,
): Promise<MergeResult> {
  const a = new Cursor(aRows);
  const b = new Cursor(bRows);
  const counts: DiffCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  const changedCells = new Array<number>(plan.width).fill(0);
  let lastA: RowValue[] | undefined;
  let lastB: RowValue[] | undefined;
  const progress = new MergeProgress(a, b, options);
  try {
    for (;;) {
      await a.ready();
      await b.ready();
      const ra = a.row;
      const rb = b.row;
      if (ra === undefined && rb === undefined) break;
      const ka = ra && keyOf(ra, plan.aKey, plan.coerceKey);
      const kb = rb && keyOf(rb, plan.bKey, plan.coerceKey);
      const order = ka === undefined ? 1 : kb === undefined ? -1 : compareKeys(ka, kb);
      if (order <= 0) {
        if (lastA && compareKeys(lastA, ka!) > 0) throw outOfOrder('A');
        lastA = ka;
      }
      if (order >= 0) {
        if (lastB && compareKeys(lastB, kb!) > 0) throw outOfOrder('B');
        lastB = kb;
      }
      if (order < 0) {
        counts.removed++;
        sink({
          kind: 'removed',
          key: ka!,
          old: toUnion(ra!, plan.aToUnion, plan.width),
          changed: [],
        });
        a.advance();
      } else if (order > 0) {
        counts.added++;
        sink({
          kind: 'added',
          key: kb!,
          new: toUnion(rb!, plan.bToUnion, plan.width),
          changed: [],
        });
        b.advance();
      } else {
        const changed: number[] = [];
        for (const column of plan.compared) {
          if (!sameCell(ra![column.a]!, rb![column.b]!, column.mode, plan.tolerance)) {
            changed.push(column.union);
          }
        }
        if (changed.length === 0) counts.unchanged++;
        else {
          counts.changed++;
          for (const c of changed) changedCells[c]!++;
          sink({
            kind: 'changed',
            key: ka!,
            old: toUnion(ra!, plan.aToUnion, plan.width),
            new: toUnion(rb!, plan.bToUnion, plan.width),
            changed,
          });
        }
        a.advance();
        b.advance();
      }
      progress.step();
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  progress.report();
  return { counts, changedCells, rowsRead: { a: a.read, b: b.read } };
}

/** Compares two side rows by the compared columns only (for multisets). */
export function wholeRowOrder(indexes: readonly number[]) {
  return (x: readonly RowValue[], y: readonly RowValue[]): number => {
    for (const i of indexes) {
      const c = compareKeys([x[i] ?? null], [y[i] ?? null]);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Rows sorted by `wholeRowOrder` of the compared columns; equal rows cancel copy for copy. */
export async function mergeMultiset(
  aRows: RowBatches,
  bRows: RowBatches,
  plan: MergePlan,
  sink: ChangeSink,
  options: MergeOptions,
): Promise<MergeResult> {
  const a = new Cursor(aRows);
  const b = new Cursor(bRows);
  const aOrder = wholeRowOrder(plan.compared.map((c) => c.a));
  const bOrder = wholeRowOrder(plan.compared.map((c) => c.b));
  const aProject = (row: readonly RowValue[]) => plan.compared.map((c) => row[c.a] ?? null);
  const bProject = (row: readonly RowValue[]) => plan.compared.map((c) => row[c.b] ?? null);
  const counts: DiffCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  /** Copies of the current row on a side, from the cursor on. */
  const run = async (
    cursor: Cursor,
    order: (x: readonly RowValue[], y: readonly RowValue[]) => number,
  ) => {
    const first = cursor.row!;
    let n = 0;
    for (;;) {
      await cursor.ready();
      const row = cursor.row;
      if (row === undefined || order(row, first) !== 0) return { first, n };
      n++;
      cursor.advance();
    }
  };
  const progress = new MergeProgress(a, b, options);
  try {
    for (;;) {
      await a.ready();
      await b.ready();
      const ra = a.row;
      const rb = b.row;
      if (ra === undefined && rb === undefined) break;
      const order =
        ra === undefined ? 1 : rb === undefined ? -1 : compareKeys(aProject(ra), bProject(rb));
      const fromA = order <= 0 ? await run(a, aOrder) : { first: undefined, n: 0 };
      const fromB = order >= 0 ? await run(b, bOrder) : { first: undefined, n: 0 };
      counts.unchanged += Math.min(fromA.n, fromB.n);
      if (fromA.n > fromB.n) {
        counts.removed += fromA.n - fromB.n;
        const old = toUnion(fromA.first!, plan.aToUnion, plan.width);
        sink({ kind: 'removed', key: [], old, changed: [], count: fromA.n - fromB.n });
      } else if (fromB.n > fromA.n) {
        counts.added += fromB.n - fromA.n;
        const added = toUnion(fromB.first!, plan.bToUnion, plan.width);
        sink({ kind: 'added', key: [], new: added, changed: [], count: fromB.n - fromA.n });
      }
      progress.step();
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  progress.report();
  const changedCells = new Array<number>(plan.width).fill(0);
  return { counts, changedCells, rowsRead: { a: a.read, b: b.read } };
}
