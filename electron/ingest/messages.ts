/** What the ingest worker and the main side say to each other (see ingest-worker.ts). */
import type { SerializedError } from '../../shared/errors.js';
import type { WriteValue } from '../backends/writer.js';
import type { ReadProgress, ReadResult } from './reader.js';

export type ToMain =
  | { kind: 'batch'; rows: WriteValue[][]; progress: ReadProgress }
  /** Rows encoded in the session's format (row-encoding.ts); `bytes` is transferred. */
  | { kind: 'encoded'; bytes: Uint8Array; rows: number; progress: ReadProgress }
  | { kind: 'progress'; progress: ReadProgress }
  | { kind: 'rejecting' }
  | { kind: 'done'; result: ReadResult }
  | { kind: 'error'; error: SerializedError };

export type ToWorker = { kind: 'credit' };
