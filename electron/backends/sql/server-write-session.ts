/**
 * The life of a write session on a database server, shared by PostgreSQL and MariaDB: one
 * connection of its own, a first failure that sticks (a failed session can never commit), cancel
 * through the signal, and one cleanup however many times — or from however many places — abort
 * is called. What differs per engine (how rows are loaded and published, how a half-done load is
 * undone) is what the subclasses write.
 */
import { AppError } from '../../../shared/errors.js';
import type { RowEncoding } from '../row-encoding.js';
import type { WriteSession, WriteTarget, WriteValue } from '../writer.js';

export abstract class ServerWriteSession implements WriteSession {
  protected rows = 0;
  private failure: AppError | undefined;
  private finished = false;
  private closing: Promise<void> | undefined;
  private readonly onAbort = () => this.fail(new AppError('cancelled', 'Cancelled'));

  constructor(protected readonly signal: AbortSignal | undefined) {}

  /** Connects, checks and prepares the target, and starts loading. */
  protected abstract open(target: WriteTarget): Promise<void>;
  /** Sends rows (already checked to be non-empty). */
  protected abstract load(rows: WriteValue[][]): Promise<void>;
  /** Sends rows another thread encoded in `rowEncoding()`'s format. */
  protected abstract loadEncoded(bytes: Uint8Array, rows: number): Promise<void>;
  /** The format `writeEncoded` takes, while the load can take rows that way. */
  abstract rowEncoding(): RowEncoding | undefined;
  /** Finishes loading and makes everything visible in one step. */
  protected abstract publish(): Promise<void>;
  /** Lets go of the connection after a publish. */
  protected abstract release(): Promise<void>;
  /** Undoes whatever was done so far and lets go of the connection; never throws. */
  protected abstract rollback(): Promise<void>;
  protected abstract translate(error: unknown): AppError;

  async start(target: WriteTarget): Promise<void> {
    if (this.signal?.aborted) throw new AppError('cancelled', 'Cancelled');
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
    await this.guard(() => this.open(target));
  }

  async write(rows: WriteValue[][]): Promise<void> {
    this.check();
    if (rows.length === 0) return;
    await this.guard(() => this.load(rows));
  }

  async writeEncoded(bytes: Uint8Array, rows: number): Promise<void> {
    this.check();
    if (rows === 0) return;
    await this.guard(() => this.loadEncoded(bytes, rows));
  }

  async commit(): Promise<{ rowsWritten: number }> {
    this.check();
    await this.guard(() => this.publish());
    this.finished = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    await this.release();
    return { rowsWritten: this.rows };
  }

  /** Safe to call more than once, and at any point: every call waits for the same cleanup. */
  abort(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  protected check(): void {
    if (this.failure) throw this.failure;
    if (this.finished) throw new AppError('internal', 'This write session has ended');
  }

  /** A failed session can never commit: it rolls back and lets go of its connection at once. */
  protected fail(error: AppError): void {
    this.failure ??= error;
    void this.abort();
  }

  private async close(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    await this.rollback();
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.fail(this.translate(error));
      await this.abort();
      throw this.failure;
    }
  }
}
