/**
 * The versioning store as the renderer and the CLI see it: snapshots, their history, and the
 * reports of verify, gc and storage use; plus the inputs of its contract channels.
 */
import { z } from 'zod';
import type { SerializedError } from './errors.js';
import { datasetPathSchema, datasetRefSchema, type CellValue, type Column } from './model.js';

const snapshotIdSchema = z.string().trim().min(4).max(64);

export const createSnapshotSchema = z.object({
  ref: datasetRefSchema,
  message: z.string().max(10_000).optional(),
  /** Columns to order and chunk by; the dataset's own key when absent. */
  key: z.array(z.string().min(1).max(1024)).max(16).optional(),
});
export const listSnapshotsSchema = z.object({
  connectionId: z.string().min(1).max(200).optional(),
  path: datasetPathSchema.optional(),
});
export const restoreSnapshotSchema = z.object({
  /** A snapshot id, or a unique prefix of one. */
  snapshotId: snapshotIdSchema,
  target: datasetRefSchema,
  mode: z.enum(['create', 'replace']).default('create'),
});
export const snapshotIdInputSchema = z.object({ snapshotId: snapshotIdSchema });
export const exportSnapshotSchema = z.object({
  snapshotId: snapshotIdSchema,
  file: z.string().min(1).max(4096),
});
export const importSnapshotSchema = z.object({ file: z.string().min(1).max(4096) });

/** Where a snapshot's rows came from. */
export interface SnapshotSource {
  /** `CONNECTION#DATASET` as it was named when the snapshot was taken. */
  ref: string;
  connectionId: string;
  connectionName: string;
  connectionKind: string;
  path: string[];
}

/** A snapshot as history shows it (its manifest without the chunk list). */
export interface SnapshotInfo {
  id: string;
  dataset: SnapshotSource;
  columns: Column[];
  /** The dataset's own key, recreated on restore. */
  datasetKey: string[];
  /** The columns rows were ordered and chunked by. */
  key: string[];
  /** Set when the rows had no key: how their order was made stable. */
  keyNote?: string;
  rows: number;
  chunks: number;
  /** Canonical (uncompressed) row bytes. */
  canonicalBytes: number;
  /** Stored (compressed) bytes of all its chunks, shared ones included. */
  storedBytes: number;
  /** Bytes this snapshot added to the store when it was taken. */
  newBytes: number;
  newChunks: number;
  parent: string | null;
  createdAt: string;
  message: string;
  /** Set when some values could not be read in full (see `lossyCells`). */
  lossy?: { cells: number; note: string };
  /**
   * Set when the store showed the dataset unchanged since that snapshot (by its fingerprint):
   * the chunks were reused without reading a row.
   */
  reusedFrom?: string;
  firstKey?: CellValue[];
  lastKey?: CellValue[];
}

export interface SnapshotResult {
  snapshot: SnapshotInfo;
  ms: number;
}

export interface RestoreResult {
  rowsWritten: number;
  ms: number;
}

export interface VerifyProblem {
  /** An object hash, or a manifest file name. */
  subject: string;
  kind: 'missing-object' | 'corrupted-object' | 'damaged-manifest';
  detail: string;
  /** The snapshots that need the object (or the one whose manifest is damaged). */
  snapshots: string[];
}

export interface VerifyReport {
  ok: boolean;
  objects: number;
  snapshots: number;
  bytesChecked: number;
  problems: VerifyProblem[];
}

export interface GcReport {
  objectsRemoved: number;
  bytesFreed: number;
  objectsKept: number;
  /**
   * Of those kept, objects no snapshot lists but a delta is stored against (an older version of
   * a chunk that changed): kept for as long as the delta is.
   */
  basesKept: number;
  /** Temporary files and stale pins of killed processes, removed too. */
  leftoversRemoved: number;
}

export interface DatasetStorage {
  dataset: SnapshotSource;
  snapshots: number;
  /** Stored bytes of every distinct chunk its snapshots use. */
  bytes: number;
  /** Of those, bytes no other dataset's snapshots use (what deleting its history frees). */
  exclusiveBytes: number;
}

export interface StorageUse {
  datasets: DatasetStorage[];
  /** Object bytes on disk, garbage included. */
  objectBytes: number;
  objects: number;
  /** Object bytes no snapshot uses (collected by gc). */
  garbageBytes: number;
  manifestBytes: number;
}

export const versionsJobSchema = z.object({
  jobId: z.string().min(1).max(200),
  /** Answer once the job has ended. */
  wait: z.boolean().default(false),
});

/** A snapshot or restore job: running, then its outcome. */
export interface VersionsJobStatus {
  jobId: string;
  kind: 'snapshot' | 'restore';
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** The snapshot taken (snapshot jobs) or restored (restore jobs). */
  snapshot?: SnapshotInfo;
  rowsWritten?: number;
  ms?: number;
  error?: SerializedError;
}

export interface ExportResult {
  snapshotId: string;
  file: string;
  bytes: number;
  objects: number;
}

export interface ImportResult {
  snapshot: SnapshotInfo;
  newObjects: number;
  /** The same snapshot was already in the store; nothing was written. */
  alreadyPresent: boolean;
}
