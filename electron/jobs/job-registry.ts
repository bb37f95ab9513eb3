/**
 * Long work the user can watch and cancel: each job has an id, reports progress as events, and
 * holds an AbortController that `cancel` fires.
 */
import { randomUUID } from 'node:crypto';
import type { JobProgress } from '../../shared/model.js';
import { toAppError } from '../monitor/errors.js';

export interface JobContext {
  signal: AbortSignal;
  progress(done: number, total: number): void;
}

export class JobRegistry {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly emit: (progress: JobProgress) => void) {}

  run<T>(
    label: string,
    unit: JobProgress['unit'],
    work: (context: JobContext) => Promise<T>,
  ): { jobId: string; done: Promise<T> } {
    const jobId = randomUUID();
    const controller = new AbortController();
    this.running.set(jobId, controller);
    let last: { done: number; total: number } = { done: 0, total: 0 };
    const report = (state: JobProgress['state'], message?: string) =>
      this.emit({ jobId, label, unit, state, ...last, ...(message ? { message } : {}) });
    const done = (async () => {
      try {
        const value = await work({
          signal: controller.signal,
          progress: (doneCount, total) => {
            last = { done: doneCount, total };
            report('running');
          },
        });
        report('done');
        return value;
      } catch (error) {
        const appError = toAppError(error);
        report(appError.code === 'cancelled' ? 'cancelled' : 'failed', appError.message);
        throw appError;
      } finally {
        this.running.delete(jobId);
      }
    })();
    return { jobId, done };
  }

  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    controller?.abort();
    return controller !== undefined;
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }
}
