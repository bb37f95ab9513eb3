/**
 * The versioning store as a service for the contract's channels: snapshots and restores run as
 * jobs (progress and cancel through JobRegistry); history, verify, gc, export, import and storage
 * use answer directly. Restores get their backend from `connections.writableBackend`, the one
 * gate a read-only connection cannot pass; snapshots only read.
 */
import { formatRef } from '../../shared/dataset-ref.js';
import type { DatasetRef, TreeNode } from '../../shared/model.js';
import type {
  ExportResult,
  GcReport,
  ImportResult,
  SnapshotInfo,
  SnapshotSource,
  StorageUse,
  VerifyReport,
  VersionsJobStatus,
} from '../../shared/versions.js';
import type { Backend } from '../backends/backend.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import { JobOutcomes } from '../jobs/job-outcomes.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import { WorkerPool } from '../jobs/worker-pool.js';
import { exportSnapshot, importSnapshot } from './archive.js';
import { deleteSnapshot } from './delete.js';
import { collectGarbage } from './gc.js';
import { ensureLayout, storeLayout, type StoreLayout } from './layout.js';
import { findSnapshot, readManifests, snapshotInfo } from './manifest.js';
import { restoreSnapshot } from './restore-job.js';
import { takeSnapshot } from './snapshot-job.js';
import { storageUse } from './storage-use.js';
import { verifyStore } from './verify.js';

/**
 * A dataset's path as the tree shows it, so `sales` and `main.sales` are one dataset's history:
 * the given path if the tree has it, else the one tree path it is the end of, else as given.
 */
async function treePath(backend: Backend, datasetPath: string[]): Promise<string[]> {
  const paths: string[][] = [];
  const visit = (nodes: TreeNode[]) => {
    for (const node of nodes) {
      if (node.kind !== 'schema') paths.push(node.path);
      if (node.children) visit(node.children);
    }
  };
  visit(await backend.tree().catch(() => []));
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((p, i) => p === b[i]);
  if (paths.some((p) => same(p, datasetPath))) return datasetPath;
  const ends = paths.filter(
    (p) => p.length > datasetPath.length && same(p.slice(-datasetPath.length), datasetPath),
  );
  return ends.length === 1 ? ends[0]! : datasetPath;
}

export interface VersionsServiceDeps {
  dataDir: string;
  connections: ConnectionManager;
  jobs: JobRegistry;
  /** Tells every window a snapshot or restore ended (the `snapshotFinished` event). */
  emitFinished?: (status: VersionsJobStatus) => void;
}

export class VersionsService {
  readonly layout: StoreLayout;
  private pool: WorkerPool | undefined;
  private readonly outcomes: JobOutcomes<VersionsJobStatus>;

  constructor(private readonly deps: VersionsServiceDeps) {
    this.layout = storeLayout(deps.dataDir);
    this.outcomes = new JobOutcomes('snapshot or restore', deps.emitFinished);
  }

  async createSnapshot(input: {
    ref: DatasetRef;
    message?: string | undefined;
    key?: string[] | undefined;
  }): Promise<{ jobId: string }> {
    await ensureLayout(this.layout);
    const { connections } = this.deps;
    const connection = connections.get(input.ref.connectionId);
    const backend = await connections.backend(input.ref.connectionId);
    const datasetPath = await treePath(backend, input.ref.path);
    const source: SnapshotSource = {
      ref: formatRef(connection.name, datasetPath),
      connectionId: connection.id,
      connectionName: connection.name,
      connectionKind: connection.config.kind,
      path: datasetPath,
    };
    return this.track('snapshot', `Snapshot of ${source.ref}`, async (job) => {
      const manifest = await takeSnapshot(
        this.layout,
        this.workers(),
        {
          backend,
          source,
          message: input.message ?? '',
          ...(input.key ? { key: input.key } : {}),
        },
        job,
      );
      return { snapshot: snapshotInfo(manifest) };
    });
  }

  async restoreSnapshot(input: {
    snapshotId: string;
    target: DatasetRef;
    mode: 'create' | 'replace';
  }): Promise<{ jobId: string }> {
    await ensureLayout(this.layout);
    const manifest = await findSnapshot(this.layout, input.snapshotId);
    const backend = await this.deps.connections.writableBackend(input.target.connectionId);
    const label = `Restoring snapshot ${manifest.id} into ${input.target.path.join('.')}`;
    return this.track('restore', label, async (job) => {
      const { rowsWritten } = await restoreSnapshot(
        this.layout,
        { manifest, backend, path: input.target.path, mode: input.mode },
        job,
      );
      return { snapshot: snapshotInfo(manifest), rowsWritten };
    });
  }

  /** A job's status; with `wait`, once it has ended. */
  jobResult(jobId: string, wait: boolean): Promise<VersionsJobStatus> {
    return this.outcomes.status(jobId, wait);
  }

  async list(filter: {
    connectionId?: string | undefined;
    path?: string[] | undefined;
  }): Promise<SnapshotInfo[]> {
    const { manifests } = await readManifests(this.layout);
    if (filter.connectionId !== undefined && filter.path !== undefined) {
      const stored = manifests.some((m) => m.dataset.connectionId === filter.connectionId);
      // Only a connection with snapshots is opened to resolve a short name (`sales`).
      if (stored) {
        const backend = await this.deps.connections
          .backend(filter.connectionId)
          .catch(() => undefined);
        if (backend) filter = { ...filter, path: await treePath(backend, filter.path) };
      }
    }
    return manifests
      .filter(
        (m) => filter.connectionId === undefined || m.dataset.connectionId === filter.connectionId,
      )
      .filter(
        (m) =>
          filter.path === undefined || m.dataset.path.join('\u0000') === filter.path.join('\u0000'),
      )
      .map(snapshotInfo);
  }

  async verify(signal?: AbortSignal): Promise<VerifyReport> {
    await ensureLayout(this.layout);
    const { done, jobId } = this.deps.jobs.run('Verifying the versions store', 'bytes', (job) =>
      verifyStore(this.layout, this.workers(), job),
    );
    signal?.addEventListener('abort', () => this.deps.jobs.cancel(jobId), { once: true });
    return done;
  }

  async delete(snapshotId: string): Promise<{ deleted: string }> {
    const manifest = await findSnapshot(this.layout, snapshotId);
    await deleteSnapshot(this.layout, manifest.id);
    return { deleted: manifest.id };
  }

  async collectGarbage(): Promise<GcReport> {
    await ensureLayout(this.layout);
    return collectGarbage(this.layout);
  }

  async export(snapshotId: string, file: string): Promise<ExportResult> {
    await ensureLayout(this.layout);
    const result = await exportSnapshot(this.layout, snapshotId, file);
    return { ...result, file };
  }

  async import(file: string): Promise<ImportResult> {
    await ensureLayout(this.layout);
    const { manifest, newObjects, alreadyPresent } = await importSnapshot(this.layout, file);
    return { snapshot: snapshotInfo(manifest), newObjects, alreadyPresent };
  }

  async storageUse(): Promise<StorageUse> {
    await ensureLayout(this.layout);
    return storageUse(this.layout);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** One worker: with the store's reader on the other core, both cores are busy. */
  private workers(): WorkerPool {
    this.pool ??= new WorkerPool('versions', {}, 1);
    return this.pool;
  }

  private track(
    kind: VersionsJobStatus['kind'],
    label: string,
    work: (
      job: Parameters<Parameters<JobRegistry['run']>[2]>[0],
    ) => Promise<Partial<VersionsJobStatus>>,
  ): { jobId: string } {
    const { jobId, done } = this.deps.jobs.run(label, 'rows', work);
    const status: VersionsJobStatus = { jobId, kind, state: 'running' };
    this.outcomes.track(status, done, (outcome) => {
      Object.assign(status, outcome, { state: 'done' });
    });
    return { jobId };
  }
}
