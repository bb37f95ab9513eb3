/**
 * Upload as a service: sniff a file, start an ingest as a job (progress through JobRegistry's
 * `jobProgress` events, in bytes of the file; cancel through `cancelJob`), and answer its status —
 * rows, rate and time left while it runs, the summary and validation report once it is over.
 * The backend always comes from `connections.writableBackend`, the one gate a read-only connection
 * cannot pass; a dry run, which writes nothing, may check a file against a read-only one.
 */
import path from 'node:path';
import type {
  IngestPlan,
  IngestProgress,
  IngestStatus,
  SniffRequest,
  SniffResult,
} from '../../shared/ingest.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import { JobOutcomes } from '../jobs/job-outcomes.js';
import type { JobRegistry } from '../jobs/job-registry.js';
import { loadWorkerLimits } from '../jobs/load-limits.js';
import { prewarm } from '../jobs/warm-workers.js';
import type { ReadProgress } from './reader.js';
import { runIngest } from './run-ingest.js';
import { sniffFile } from './sniff.js';
import { sniffOffMain } from './sniff-off-main.js';

export interface IngestServiceDeps {
  connections: ConnectionManager;
  jobs: JobRegistry;
  /** Tells every window an ingest ended (the `ingestFinished` event), where the host wires one. */
  emitFinished?: (status: IngestStatus) => void;
  /** Sniff on the main thread rather than in the sniff worker (the CLI: no window waits). */
  sniffInPlace?: boolean;
}

const progressEveryMs = 100;

export class IngestService {
  private readonly outcomes: JobOutcomes<IngestStatus>;

  constructor(private readonly deps: IngestServiceDeps) {
    this.outcomes = new JobOutcomes('upload', deps.emitFinished);
  }

  sniff(request: SniffRequest): Promise<SniffResult> {
    // A file previewed is about to be loaded: its worker starts now, not when the person waits.
    prewarm('ingest', loadWorkerLimits);
    const resolved = { ...request, path: path.resolve(request.path) };
    return this.deps.sniffInPlace ? sniffFile(resolved) : sniffOffMain(resolved);
  }

  async start(input: IngestPlan): Promise<{ jobId: string }> {
    const plan: IngestPlan = { ...input, file: path.resolve(input.file) };
    if (plan.rejectsPath) plan.rejectsPath = path.resolve(plan.rejectsPath);
    const { connections, jobs } = this.deps;
    const id = plan.target.connectionId;
    const backend = plan.dryRun
      ? await connections.backend(id)
      : await connections.writableBackend(id);
    const started = Date.now();
    let lastEmit = 0;
    const progress: IngestProgress = {
      rows: 0,
      bytes: 0,
      totalBytes: 0,
      rowsPerSecond: 0,
      bytesPerSecond: 0,
    };
    const { jobId, done } = jobs.run(`Uploading ${path.basename(plan.file)}`, 'bytes', (job) =>
      runIngest(plan, backend, {
        signal: job.signal,
        onProgress: (read: ReadProgress, totalBytes: number) => {
          Object.assign(progress, rates(read, totalBytes, Date.now() - started));
          const now = Date.now();
          if (now - lastEmit >= progressEveryMs || read.bytes === totalBytes) {
            lastEmit = now;
            job.progress(read.bytes, totalBytes);
          }
        },
      }),
    );
    const status: IngestStatus = { jobId, state: 'running', progress };
    this.outcomes.track(status, done, (output) => {
      status.state = output.summary.outcome;
      status.summary = output.summary;
      status.report = output.report;
    });
    return { jobId };
  }

  /** An ingest's status; with `wait`, once it has ended. */
  result(jobId: string, wait: boolean): Promise<IngestStatus> {
    return this.outcomes.status(jobId, wait);
  }
}

function rates(read: ReadProgress, totalBytes: number, elapsedMs: number): IngestProgress {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const bytesPerSecond = Math.round(read.bytes / seconds);
  return {
    rows: read.rowsRead,
    bytes: read.bytes,
    totalBytes,
    rowsPerSecond: Math.round(read.rowsRead / seconds),
    bytesPerSecond,
    ...(bytesPerSecond > 0
      ? { etaMs: Math.round(((totalBytes - read.bytes) / bytesPerSecond) * 1000) }
      : {}),
  };
}
