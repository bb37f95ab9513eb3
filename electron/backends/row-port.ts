/**
 * A direct line from the thread that makes rows (the ingest worker) to the thread that writes
 * them (a store's writer worker), so rows cross one thread boundary instead of two and the main
 * thread only coordinates. Batches go as PackedRows over a MessagePort; the writer answers each
 * one with a credit once it is inserted, and the producer never has more than `window` batches
 * unanswered: that is the backpressure, and it bounds memory whatever the file size.
 *
 * The producer must `drain()` before it reports its end: the session's commit travels on another
 * channel, and only the credits say every batch is in.
 */
import type { MessagePort } from 'node:worker_threads';
import { AppError, type SerializedError } from '../../shared/errors.js';
import { toAppError } from '../monitor/errors.js';
import { transferables, type PackedRows } from './packed-rows.js';

export type ToWriter = { kind: 'rows'; batch: PackedRows };
export type ToProducer =
  { kind: 'written'; rows: number } | { kind: 'failed'; error: SerializedError };

/** The producer's end: `send` waits for a credit, `drain` for every batch to be written. */
export class RowPortSender {
  private unanswered = 0;
  private failure: AppError | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly port: MessagePort,
    private readonly window: number,
    /** Called with the rows of each batch once it is written. */
    private readonly onWritten: (rows: number) => void = () => undefined,
  ) {
    port.on('message', (message: ToProducer) => {
      if (message.kind === 'written') {
        this.unanswered--;
        this.onWritten(message.rows);
      } else this.failure ??= AppError.from(message.error);
      this.signal();
    });
    // The writer's thread ended (the session was aborted or failed): nothing more will be written.
    port.on('close', () => {
      this.failure ??= new AppError('cancelled', 'The write was stopped');
      this.signal();
    });
  }

  async send(batch: PackedRows): Promise<void> {
    while (this.unanswered >= this.window && !this.failure) await this.waitForAnswer();
    if (this.failure) throw this.failure;
    this.unanswered++;
    const message: ToWriter = { kind: 'rows', batch };
    this.port.postMessage(message, transferables(batch));
  }

  async drain(): Promise<void> {
    while (this.unanswered > 0 && !this.failure) await this.waitForAnswer();
    if (this.failure) throw this.failure;
  }

  close(): void {
    this.port.close();
  }

  private waitForAnswer(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private signal(): void {
    this.wake?.();
    this.wake = undefined;
  }
}

/**
 * The writer's end: inserts each batch in arrival order and answers with a credit. After a
 * failure every later batch is refused with the same error, and `failure()` tells the session
 * (its commit must fail too).
 */
export function serveRowPort(
  port: MessagePort,
  insert: (batch: PackedRows) => void,
): { failure: () => AppError | undefined } {
  let failure: AppError | undefined;
  port.on('message', (message: ToWriter) => {
    let answer: ToProducer;
    try {
      if (failure) throw failure;
      insert(message.batch);
      answer = { kind: 'written', rows: message.batch.rows };
    } catch (error) {
      failure ??= toAppError(error);
      answer = { kind: 'failed', error: failure.toJSON() };
    }
    port.postMessage(answer);
  });
  return { failure: () => failure };
}
