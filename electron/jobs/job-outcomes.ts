/**
 * What a service's jobs came to: each job's status, filled in as it ends — the feature's outcome,
 * or `failed` / `cancelled` with the error — and kept for a while after, so a window that asks
 * late (or waits) still gets the answer. Every window is told through the feature's "finished"
 * event. Upload, versions and diff each keep their jobs here.
 */
import { AppError, type SerializedError } from '../../shared/errors.js';
import { toAppError } from '../monitor/errors.js';

export interface OutcomeStatus {
  jobId: string;
  state: string;
  error?: SerializedError;
  ms?: number;
}

/** Finished jobs whose status stays available. */
const keepFinished = 50;

export class JobOutcomes<S extends OutcomeStatus> {
  private readonly tracked = new Map<string, { status: S; done: Promise<void> }>();

  /** `what` names the job kind in errors: "No upload with job id …". */
  constructor(
    private readonly what: string,
    private readonly emitFinished?: (status: S) => void,
  ) {}

  /**
   * Follows a job: `succeeded` writes its outcome into `status` (state included); a failure or a
   * cancel is written here. The time taken is written either way.
   */
  track<T>(status: S, done: Promise<T>, succeeded: (output: T) => void): void {
    const started = Date.now();
    const settled = done.then(succeeded, (error: unknown) => {
      const appError = toAppError(error);
      const state = appError.code === 'cancelled' ? 'cancelled' : 'failed';
      Object.assign(status, { state, error: appError.toJSON() });
    });
    const ended = settled.then(() => {
      Object.assign(status, { ms: Date.now() - started });
    });
    this.tracked.set(status.jobId, { status, done: ended });
    void ended.then(() => {
      this.emitFinished?.(structuredClone(status));
      this.forgetOld();
    });
  }

  /** A job's status; with `wait`, once it has ended. */
  async status(jobId: string, wait: boolean): Promise<S> {
    const tracked = this.tracked.get(jobId);
    if (!tracked) throw new AppError('not-found', `No ${this.what} with job id ${jobId}`);
    if (wait) await tracked.done;
    return structuredClone(tracked.status);
  }

  private forgetOld(): void {
    const finished = [...this.tracked].filter(([, t]) => t.status.state !== 'running');
    for (const [jobId] of finished.slice(0, Math.max(0, finished.length - keepFinished))) {
      this.tracked.delete(jobId);
    }
  }
}
