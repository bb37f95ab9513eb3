/**
 * Diffs as the renderer and the CLI see them: the two sides (a snapshot, a live dataset, a CSV
 * file), the options, the summary a finished diff reports, and the pages of changes a virtualised
 * grid reads. Changes live on disk in the main process (a diff may hold millions); the renderer
 * only ever holds a page.
 */
import { z } from 'zod';
import type { SerializedError } from './errors.js';
import { datasetRefSchema, type CellValue, type Column } from './model.js';

const columnName = z.string().min(1).max(1024);
const fileSchema = z.string().min(1).max(4096);
export const diffIdSchema = z.string().min(1).max(200);

/** One side of a diff. */
export const diffSideSchema = z.discriminatedUnion('kind', [
  /** A snapshot id, or a unique prefix of one. */
  z.object({ kind: z.literal('snapshot'), snapshotId: z.string().trim().min(4).max(64) }),
  z.object({ kind: z.literal('dataset'), ref: datasetRefSchema }),
  /** A CSV file on this machine (its dialect and types are sniffed as an upload's are). */
  z.object({ kind: z.literal('csv'), file: fileSchema }),
]);
export type DiffSide = z.infer<typeof diffSideSchema>;

export const diffToleranceSchema = z.object({
  /** Numbers within this distance are equal. */
  absolute: z.number().min(0).finite().optional(),
  /** Numbers within this fraction of the larger magnitude are equal. */
  relative: z.number().min(0).finite().optional(),
});
export type DiffTolerance = z.infer<typeof diffToleranceSchema>;

export const startDiffSchema = z.object({
  /** The old side: changes say how to turn A into B. */
  a: diffSideSchema,
  b: diffSideSchema,
  /** Columns rows are matched by; both sides' own key when absent; `[]` forces a multiset diff. */
  key: z.array(columnName).max(16).optional(),
  /** Columns left out of the comparison (timestamps that always move, say). */
  ignoreColumns: z.array(columnName).max(1024).default([]),
  tolerance: diffToleranceSchema.optional(),
});
export type StartDiffInput = z.infer<typeof startDiffSchema>;

export const diffJobSchema = z.object({
  jobId: z.string().min(1).max(200),
  /** Answer once the diff has ended. */
  wait: z.boolean().default(false),
});

export const changeKinds = ['added', 'removed', 'changed'] as const;
export type ChangeKind = (typeof changeKinds)[number];

/** Which changes a page or a search covers; all of them when both are absent. */
const changeFilterFields = {
  diffId: diffIdSchema,
  kinds: z.array(z.enum(changeKinds)).max(3).optional(),
  /** Only changed rows where one of these columns changed (added and removed rows pass). */
  columns: z.array(columnName).max(1024).optional(),
};

export const diffPageSchema = z.object({
  ...changeFilterFields,
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(5_000),
});
export type DiffPageRequest = z.infer<typeof diffPageSchema>;

export const findChangeSchema = z.object({
  ...changeFilterFields,
  /** An index in the unfiltered list of changes (`DiffRow.index`); the search starts past it. */
  from: z.number().int().min(-1),
  direction: z.enum(['next', 'previous']),
});

export const sqlDialects = ['sqlite', 'postgres', 'mysql'] as const;
export type SqlDialect = (typeof sqlDialects)[number];

export const exportDiffSchema = z.object({
  diffId: diffIdSchema,
  format: z.enum(['csv', 'jsonl', 'sql']),
  file: fileSchema,
  /** SQL only: how identifiers are quoted and values written; `sqlite` when absent. */
  dialect: z.enum(sqlDialects).optional(),
  /** SQL only: the table the statements change; side A's dataset name when absent. */
  table: z.string().min(1).max(1024).optional(),
});
export type ExportDiffInput = z.infer<typeof exportDiffSchema>;

export const closeDiffSchema = z.object({ diffId: diffIdSchema });

/** A side as the summary describes it. */
export interface DiffSideInfo {
  kind: DiffSide['kind'];
  /** For a person: `snapshot 3f2a9c1b of Demo#main.sales`, `Demo#main.sales`, `/tmp/x.csv`. */
  label: string;
  columns: Column[];
  /** The side's own key (empty when it has none). */
  key: string[];
}

export interface RetypedColumn {
  name: string;
  old: Column;
  new: Column;
  /** How cells are compared across the two types, in words (e.g. "compared as text"). */
  comparedAs: string;
}

export interface SchemaDiff {
  /** In B, not in A. */
  added: Column[];
  removed: Column[];
  retyped: RetypedColumn[];
  /** The columns both sides have are in a different order (names in A's order, then B's). */
  reordered?: { old: string[]; new: string[] };
  keyChanged?: { old: string[]; new: string[] };
  equal: boolean;
}

/** A column of the diff's grid: the union of both sides' columns, A's order then B's new ones. */
export interface DiffColumn {
  name: string;
  inA: boolean;
  inB: boolean;
  /** B's type where B has it, else A's. */
  type: Column['type'];
  key: boolean;
  ignored: boolean;
}

export type DiffMethod = 'chunks' | 'stream' | 'range-checksum' | 'multiset';

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

export interface DiffSummary {
  diffId: string;
  a: DiffSideInfo;
  b: DiffSideInfo;
  /** Rows matched by `key`; false: a multiset diff of whole rows. */
  keyed: boolean;
  key: string[];
  /** Said plainly when there is no key, or when the key differs from a side's own. */
  note?: string;
  schema: SchemaDiff;
  columns: DiffColumn[];
  counts: DiffCounts;
  /** Changed cells per column name (changed rows only). */
  changedCells: Record<string, number>;
  ignoreColumns: string[];
  tolerance?: DiffTolerance;
  method: DiffMethod;
  /** Snapshot against snapshot: chunks whose hashes matched were skipped undecoded. */
  chunks?: { total: number; skipped: number; decoded: number };
  /** Range checksums: key ranges the servers found different (only those were read). */
  ranges?: { differing: number };
  rowsRead: { a: number; b: number };
  /** No schema change and no row change. */
  equal: boolean;
  ms: number;
}

/**
 * One change, aligned to `DiffSummary.columns`: `old` is A's row, `new` B's (a column a side
 * lacks reads null there). `changed` lists the indices of the cells that differ.
 */
export interface DiffRow {
  /** Position in the unfiltered list of changes (key order). */
  index: number;
  kind: ChangeKind;
  /** The key's cells (multiset diffs: empty). */
  key: CellValue[];
  old?: CellValue[];
  new?: CellValue[];
  changed: number[];
  /** Multiset diffs: how many copies of this whole row were added or removed. */
  count?: number;
}

export interface DiffPage {
  diffId: string;
  offset: number;
  /** Changes matching the page's filter. */
  total: number;
  rows: DiffRow[];
}

export interface DiffJobStatus {
  jobId: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Rows read so far, both sides together. */
  rowsRead: number;
  summary?: DiffSummary;
  error?: SerializedError;
  ms?: number;
}

export interface DiffExportResult {
  file: string;
  /** Changes written (CSV, JSON Lines) or statements (SQL). */
  rows: number;
  bytes: number;
}
