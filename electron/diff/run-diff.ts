/**
 * One diff, start to end: plan (key, schema, columns), read both sides in the order the merge
 * needs — set aside shared snapshot chunks, scan only differing key ranges, sort what comes
 * unordered — merge, and store every change. Returns the summary; the changes stay in `store`.
 */
import type { DiffMethod, DiffSideInfo, DiffSummary, StartDiffInput } from '../../shared/diff.js';
import { compareKeys, compareRowValues, type RowBatches, type RowValue } from '../backends/scan.js';
import type { JobContext } from '../jobs/job-registry.js';
import { coerceKeyCell } from './cell-compare.js';
import type { ChangeStore } from './change-store.js';
import { sortRows } from './external-sort.js';
import { mergeKeyed, mergeMultiset, wholeRowOrder } from './merge.js';
import { skipIdenticalRows } from './identical-rows.js';
import { planDiff, type DiffPlan } from './plan.js';
import type { RowSource } from './row-source.js';
import type { ChunkCount } from './snapshot-source.js';

export interface ResolvedSide {
  info: Omit<DiffSideInfo, 'columns' | 'key'>;
  source: RowSource;
  /** Rows the side holds, when known cheaply (for progress). */
  rows?: number;
}

export interface DiffRun {
  diffId: string;
  a: ResolvedSide;
  b: ResolvedSide;
  options: Pick<StartDiffInput, 'key' | 'ignoreColumns' | 'tolerance'>;
  /** Set when A and B are two snapshots whose shared chunks were set aside. */
  chunks?: ChunkCount;
  /** Rows known unchanged without being read (shared chunks). */
  unchangedUnread?: number;
  /** Reads only differing key ranges, when both sides can checksum them on their servers. */
  ranges?: RangeReader;
  tmpDir: string;
  store: ChangeStore;
}

/** Live SQL against live SQL: the key ranges whose checksums differ, and a scan of each. */
export interface RangeReader {
  /** The differing ranges' rows on each side, and A's row count (unchanged = the rest). */
  read(
    plan: DiffPlan,
    signal: AbortSignal,
    /** Rows the bisection has settled so far (equal ranges, or ranges it will read). */
    onRowsCovered?: (rows: number) => void,
  ): Promise<{ a: RowBatches; b: RowBatches; rowsA: number; differing: number } | undefined>;
}

function sideInfo(side: ResolvedSide): DiffSideInfo {
  return { ...side.info, columns: [...side.source.columns], key: [...side.source.key] };
}

export async function runDiff(run: DiffRun, job: JobContext): Promise<DiffSummary> {
  const started = Date.now();
  const { signal } = job;
  const plan = planDiff(run.a.source, run.b.source, run.options);
  run.store.setShape(plan.keyA.length, plan.columns.length);
  const total = (run.a.rows ?? 0) + (run.b.rows ?? 0);
  const onRows = ({ a, b }: { a: number; b: number }) =>
    job.progress(a + b, Math.max(total, a + b));
  const sink = (change: Parameters<ChangeStore['add']>[0]) => run.store.add(change);
  let method: DiffMethod = !plan.keyed ? 'multiset' : run.chunks ? 'chunks' : 'stream';
  let rangeCounts: DiffSummary['ranges'];

  const ordered = (side: 'a' | 'b'): RowBatches => {
    const source = run[side].source;
    const keyNames = side === 'a' ? plan.keyA : plan.keyB;
    const keyIndexes = side === 'a' ? plan.merge.aKey : plan.merge.bKey;
    const { rows, orderedBy } = source.read(keyNames, signal);
    const columnCount = source.columns.length;
    if (!plan.keyed) {
      const indexes = plan.merge.compared.map((c) => (side === 'a' ? c.a : c.b));
      return sortRows(rows, {
        tmpDir: run.tmpDir,
        columnCount,
        compare: wholeRowOrder(indexes),
        signal,
      });
    }
    const coerced = plan.merge.coerceKey.some(Boolean);
    const inOrder =
      !coerced &&
      orderedBy !== undefined &&
      orderedBy.length === keyNames.length &&
      orderedBy.every((k, i) => k === keyNames[i]);
    if (inOrder) return rows;
    const keyOf = (row: readonly RowValue[]) =>
      keyIndexes.map((i, k) =>
        plan.merge.coerceKey[k] ? coerceKeyCell(row[i] ?? null) : (row[i] ?? null),
      );
    return sortRows(rows, {
      tmpDir: run.tmpDir,
      columnCount,
      compare: (x, y) => compareKeys(keyOf(x), keyOf(y)),
      signal,
    });
  };

  /** Both sides still encoded, same columns, in key order: identical rows need no decoding. */
  function encodedPair(): { a: AsyncIterable<Buffer>; b: AsyncIterable<Buffer> } | undefined {
    const [x, y] = [run.a.source, run.b.source];
    const same =
      x.columns.length === y.columns.length &&
      x.columns.every((c, i) => c.name === y.columns[i]!.name && c.type === y.columns[i]!.type);
    if (!same || !x.readEncoded || !y.readEncoded) return undefined;
    const a = x.readEncoded(plan.keyA, signal);
    const b = a && y.readEncoded(plan.keyB, signal);
    return a && b ? { a, b } : undefined;
  }

  let aRows: RowBatches;
  let bRows: RowBatches;
  /** Range checksums: A's rows, read or not (unchanged ones are counted from it). */
  let rowsA: number | undefined;
  const identical = { rows: 0 };
  const encoded = plan.keyed && !plan.merge.coerceKey.some(Boolean) ? encodedPair() : undefined;
  const ranged =
    plan.keyed && run.ranges && !plan.merge.coerceKey.some(Boolean)
      ? await run.ranges.read(plan, signal, (rows) =>
          job.progress(Math.min(total, 2 * rows), total),
        )
      : undefined;
  if (encoded) {
    const keyIndexes = plan.merge.aKey;
    const keyOrder = (x: readonly RowValue[], y: readonly RowValue[]) => {
      for (const i of keyIndexes) {
        const c = compareRowValues(x[i] ?? null, y[i] ?? null);
        if (c !== 0) return c;
      }
      return 0;
    };
    const rows = skipIdenticalRows(
      encoded.a,
      encoded.b,
      run.a.source.columns.length,
      keyOrder,
      identical,
    );
    aRows = rows.a;
    bRows = rows.b;
  } else if (ranged) {
    aRows = ranged.a;
    bRows = ranged.b;
    method = 'range-checksum';
    rangeCounts = { differing: ranged.differing };
    rowsA = ranged.rowsA;
  } else {
    aRows = ordered('a');
    bRows = ordered('b');
  }
  const merge = plan.keyed ? mergeKeyed : mergeMultiset;
  // By range checksums, progress is the rows the bisection settled (the rows read are few).
  const result = await merge(aRows, bRows, plan.merge, sink, {
    signal,
    ...(ranged ? {} : { onRows }),
  });
  run.store.flush();
  const counts = { ...result.counts };
  // Rows compared byte for byte were read too, though never decoded.
  const rowsRead = { a: result.rowsRead.a + identical.rows, b: result.rowsRead.b + identical.rows };
  if (rowsA !== undefined) counts.unchanged = Math.max(0, rowsA - counts.removed - counts.changed);
  else counts.unchanged += (run.unchangedUnread ?? 0) + identical.rows;
  const changedCells: Record<string, number> = {};
  plan.columns.forEach((column, i) => {
    if (result.changedCells[i]! > 0) changedCells[column.name] = result.changedCells[i]!;
  });
  const rowsEqual = counts.added === 0 && counts.removed === 0 && counts.changed === 0;
  const summary: DiffSummary = {
    diffId: run.diffId,
    a: sideInfo(run.a),
    b: sideInfo(run.b),
    keyed: plan.keyed,
    key: plan.keyA,
    ...(plan.note ? { note: plan.note } : {}),
    schema: plan.schema,
    columns: plan.columns,
    counts,
    changedCells,
    ignoreColumns: [...run.options.ignoreColumns],
    ...(run.options.tolerance ? { tolerance: run.options.tolerance } : {}),
    method,
    ...(run.chunks ? { chunks: { ...run.chunks } } : {}),
    ...(rangeCounts ? { ranges: rangeCounts } : {}),
    rowsRead,
    equal: rowsEqual && plan.schema.equal,
    ms: Date.now() - started,
  };
  return summary;
}
