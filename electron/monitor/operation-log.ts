/**
 * One wrapper around every service call: it times the call, records it in a bounded log the
 * monitor shows, and turns whatever was thrown into an AppError. Nothing else catches errors.
 */
import type { OperationRecord } from '../../shared/contract.js';
import { toAppError } from './errors.js';

export class OperationLog {
  private readonly records: OperationRecord[] = [];
  private nextId = 1;

  constructor(private readonly capacity = 2_000) {}

  async op<T>(name: string, target: string, run: () => Promise<T>): Promise<T> {
    const startedAt = new Date();
    const started = performance.now();
    try {
      const value = await run();
      this.record(name, target, startedAt, started, undefined);
      return value;
    } catch (thrown) {
      const error = toAppError(thrown);
      this.record(name, target, startedAt, started, error.message);
      throw error;
    }
  }

  list(limit: number): OperationRecord[] {
    return this.records.slice(-limit).reverse();
  }

  private record(
    name: string,
    target: string,
    startedAt: Date,
    started: number,
    error: string | undefined,
  ): void {
    const record: OperationRecord = {
      id: this.nextId++,
      name,
      target,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ok: error === undefined,
      ...(error === undefined ? {} : { error }),
    };
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length >> 1);
  }
}
