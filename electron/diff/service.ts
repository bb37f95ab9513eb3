/**
 * Diffs as a service for the contract's channels: a diff runs as a job (progress in rows read,
 * cancel through JobRegistry); its changes are kept in a temporary SQLite file under the data
 * directory's `diffs/` until `closeDiff`. Files are named with their process id: the next diff
 * (in any process) removes those of processes that are gone.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import type {
  DiffExportResult,
  DiffJobStatus,
  DiffPage,
  DiffPageRequest,
  DiffRow,
  DiffSummary,
  ExportDiffInput,
  StartDiffInput,
} from '../../shared/diff.js';
import type { CellValue } from '../../shared/model.js';
import { encodeCell } from '../backends/cells.js';
import type { RowValue } from '../backends/scan.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import { JobOutcomes } from '../jobs/job-outcomes.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import { storeLayout } from '../versions/layout.js';
import { ChangeStore, type ChangeFilter, type StoredChange } from './change-store.js';
import { exportChanges } from './export.js';
import { rangeReader } from './range-reader.js';
import { runDiff, type DiffRun } from './run-diff.js';
import { openSide } from './sides.js';
import { snapshotPair, type ChunkCount } from './snapshot-source.js';

export interface DiffServiceDeps {
  dataDir: string;
  connections: ConnectionManager;
  jobs: JobRegistry;
  /** Tells every window a diff ended (the `diffFinished` event). */
  emitFinished?: (status: DiffJobStatus) => void;
}

interface OpenDiff {
  summary: DiffSummary;
  store: ChangeStore;
  table: string[];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DiffService {
  private readonly dir: string;
  private readonly open = new Map<string, OpenDiff>();
  private readonly outcomes: JobOutcomes<DiffJobStatus>;

  constructor(private readonly deps: DiffServiceDeps) {
    this.dir = path.join(deps.dataDir, 'diffs');
    this.outcomes = new JobOutcomes('diff', deps.emitFinished);
  }

  async start(input: StartDiffInput): Promise<{ jobId: string }> {
    // Each new diff clears what gone processes left (a crash, a killed CLI): one readdir.
    await this.removeLeftovers().catch(() => undefined);
    await fs.mkdir(this.dir, { recursive: true });
    const layout = storeLayout(this.deps.dataDir);
    const sideDeps = { layout, connections: this.deps.connections };
    const [a, b] = await Promise.all([openSide(input.a, sideDeps), openSide(input.b, sideDeps)]);
    const diffId = randomBytes(8).toString('hex');
    const base = path.join(this.dir, `${diffId}-${process.pid}`);
    const { jobId, done } = this.deps.jobs.run(
      `Diff of ${a.label} and ${b.label}`,
      'rows',
      async (job) => {
        const chunks: ChunkCount = { total: 0, skipped: 0, decoded: 0 };
        const pair =
          a.manifest && b.manifest
            ? snapshotPair(layout, a.manifest, b.manifest, chunks)
            : undefined;
        const [sideA, sideB] = pair
          ? [
              { info: { kind: a.kind, label: a.label }, source: pair.a, rows: a.manifest!.rows },
              { info: { kind: b.kind, label: b.label }, source: pair.b, rows: b.manifest!.rows },
            ]
          : await Promise.all([a.resolve(chunks, job.signal), b.resolve(chunks, job.signal)]);
        let store: ChangeStore | undefined;
        try {
          store = new ChangeStore(`${base}.sqlite`);
          const run: DiffRun = {
            diffId,
            a: sideA,
            b: sideB,
            options: input,
            tmpDir: `${base}.tmp`,
            store,
            ...(a.manifest && b.manifest ? { chunks } : {}),
            ...(pair ? { unchangedUnread: pair.unchangedRows } : {}),
          };
          const ranges = a.live && b.live ? rangeReader(a.live, b.live) : undefined;
          if (ranges) run.ranges = ranges;
          const summary = await runDiff(run, job);
          this.open.set(diffId, { summary, store, table: a.table });
          return summary;
        } catch (error) {
          store?.close();
          await this.removeFiles(base);
          throw error;
        } finally {
          await fs.rm(`${base}.tmp`, { recursive: true, force: true });
        }
      },
    );
    const status: DiffJobStatus = { jobId, state: 'running', rowsRead: 0 };
    this.outcomes.track(status, done, (summary: DiffSummary) => {
      const rowsRead = summary.rowsRead.a + summary.rowsRead.b;
      Object.assign(status, { state: 'done', summary, rowsRead });
    });
    return { jobId };
  }

  jobResult(jobId: string, wait: boolean): Promise<DiffJobStatus> {
    return this.outcomes.status(jobId, wait);
  }

  async page(request: DiffPageRequest): Promise<DiffPage> {
    await Promise.resolve();
    const diff = this.diff(request.diffId);
    const filter = this.filter(diff, request);
    const rows = diff.store
      .page(filter, request.offset, request.limit)
      .map((change) => this.row(diff, change));
    return {
      diffId: request.diffId,
      offset: request.offset,
      total: diff.store.total(filter),
      rows,
    };
  }

  async findChange(request: {
    diffId: string;
    from: number;
    direction: 'next' | 'previous';
    kinds?: DiffPageRequest['kinds'];
    columns?: DiffPageRequest['columns'];
  }): Promise<{ index: number | null }> {
    await Promise.resolve();
    const diff = this.diff(request.diffId);
    return { index: diff.store.find(this.filter(diff, request), request.from, request.direction) };
  }

  async export(input: ExportDiffInput): Promise<DiffExportResult> {
    const diff = this.diff(input.diffId);
    return exportChanges(
      diff.store,
      diff.summary,
      { ...input, file: path.resolve(input.file) },
      diff.table,
    );
  }

  async close(diffId: string): Promise<{ closed: boolean }> {
    const diff = this.open.get(diffId);
    if (!diff) return { closed: false };
    this.open.delete(diffId);
    diff.store.close();
    await this.removeFiles(diff.store.file.replace(/\.sqlite$/, ''));
    return { closed: true };
  }

  async closeAll(): Promise<void> {
    for (const diffId of [...this.open.keys()]) await this.close(diffId);
  }

  private diff(diffId: string): OpenDiff {
    const diff = this.open.get(diffId);
    if (!diff) {
      throw new AppError(
        'not-found',
        `No open diff ${diffId}`,
        'It was closed, or Strata restarted since it ran: run the diff again.',
      );
    }
    return diff;
  }

  private filter(
    diff: OpenDiff,
    request: Pick<DiffPageRequest, 'kinds' | 'columns'>,
  ): ChangeFilter {
    const columns = request.columns?.map((name) => {
      const index = diff.summary.columns.findIndex((c) => c.name === name);
      if (index < 0) {
        throw new AppError('invalid-input', `The diff has no column “${name}”`);
      }
      return index;
    });
    return { kinds: request.kinds, columns };
  }

  private row(diff: OpenDiff, change: StoredChange): DiffRow {
    const { columns } = diff.summary;
    const cells = (values: readonly RowValue[]): CellValue[] =>
      values.map((value, i) => encodeCell(value, columns[i]?.type ?? 'unknown'));
    const row: DiffRow = {
      index: change.index,
      kind: change.kind,
      key: change.key.map((value) => encodeCell(value, 'unknown')),
      changed: change.changed,
    };
    if (change.old) row.old = cells(change.old);
    if (change.new) row.new = cells(change.new);
    if (change.count !== undefined) row.count = change.count;
    return row;
  }

  private async removeFiles(base: string): Promise<void> {
    await fs.rm(`${base}.sqlite`, { force: true });
    await fs.rm(`${base}.tmp`, { recursive: true, force: true });
  }

  /** Diff files of processes that are gone (a crash, a killed CLI). */
  private async removeLeftovers(): Promise<void> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      const pid = Number(/^[0-9a-f]+-(\d+)\./.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
        await fs.rm(path.join(this.dir, name), { recursive: true, force: true });
      }
    }
  }
}
