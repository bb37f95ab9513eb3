/**
 * Diffs as a service for the contract's channels: a diff runs as a job (progress in rows read,
 * cancel through JobRegistry); its changes are kept on disk until `closeDiff`.
 */
import { AppError } from '../../shared/errors.js';
import type {
  DiffExportResult,
  DiffJobStatus,
  DiffPage,
  DiffPageRequest,
  ExportDiffInput,
  StartDiffInput,
} from '../../shared/diff.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import type { JobRegistry } from '../jobs/job-registry.js';

export interface DiffServiceDeps {
  dataDir: string;
  connections: ConnectionManager;
  jobs: JobRegistry;
  /** Tells every window a diff ended (the `diffFinished` event). */
  emitFinished?: (status: DiffJobStatus) => void;
}

const notYet = () =>
  new AppError(
    'unavailable',
    'Diffs are not available in this build yet',
    'The diff engine is being written; update Strata and try again.',
  );

export class DiffService {
  constructor(private readonly deps: DiffServiceDeps) {}

  async start(_input: StartDiffInput): Promise<{ jobId: string }> {
    await Promise.resolve(this.deps);
    throw notYet();
  }

  async jobResult(_jobId: string, _wait: boolean): Promise<DiffJobStatus> {
    await Promise.resolve();
    throw notYet();
  }

  async page(_request: DiffPageRequest): Promise<DiffPage> {
    await Promise.resolve();
    throw notYet();
  }

  async findChange(_request: {
    diffId: string;
    from: number;
    direction: 'next' | 'previous';
  }): Promise<{ index: number | null }> {
    await Promise.resolve();
    throw notYet();
  }

  async export(_input: ExportDiffInput): Promise<DiffExportResult> {
    await Promise.resolve();
    throw notYet();
  }

  async close(_diffId: string): Promise<{ closed: boolean }> {
    await Promise.resolve();
    throw notYet();
  }
}
