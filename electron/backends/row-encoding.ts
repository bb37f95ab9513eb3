/**
 * Rows encoded, in another thread, into the bytes a store's bulk loader reads: PostgreSQL's COPY
 * text, MariaDB's LOAD DATA text. A write session that takes its rows this way
 * (`WriteSession.rowEncoding`) is handed chunks of bytes it only has to send: the ingest worker
 * encodes each row as it is checked, and the batch crosses to the main thread as one transferred
 * buffer instead of thousands of row arrays rebuilt value by value on arrival.
 *
 * Measured on the ingest bench's 1M rows into PostgreSQL, before this: structured clone of the row
 * arrays (posting them, GC on both sides, reading them back) and the encoding on the main thread
 * took more CPU than parsing and checking the file, and the load ran at 0.40 of `psql \copy`.
 */
import type { Column } from '../../shared/model.js';
import { loadColumns, loadEncoder } from './mysql/load-data-encoding.js';
import { copyColumns, copyEncoder } from './postgres/copy-encoding.js';
import type { TabRowEncoder } from './sql/tab-text-bytes.js';
import type { WriteValue } from './writer.js';

/** What a session tells the encoding thread: plain data, so it crosses threads as it is. */
export interface RowEncoding {
  format: 'postgres-copy' | 'mysql-load-data';
  /** The write's columns, in the order rows arrive. */
  columns: Column[];
}

/** The encoder of a format, for the write's columns. */
function encoderFor(encoding: RowEncoding): TabRowEncoder {
  switch (encoding.format) {
    case 'postgres-copy':
      return copyEncoder(copyColumns(encoding.columns));
    case 'mysql-load-data':
      return loadEncoder(loadColumns(encoding.columns));
  }
}

/**
 * Gathers rows into one encoded chunk (the ingest reader's RowBatcher): each row is encoded as it
 * is added, so no row array outlives its check, and `take` hands over the bytes.
 */
export class EncodedRows {
  /** Values are copied out (encoded) when added. */
  readonly copies = true;
  private count = 0;
  private readonly encoder: TabRowEncoder;

  constructor(encoding: RowEncoding) {
    this.encoder = encoderFor(encoding);
  }

  get rows(): number {
    return this.count;
  }

  add(row: readonly WriteValue[]): void {
    this.encoder.add(row);
    this.count++;
  }

  /** The batch, its bytes in an ArrayBuffer of their own so that they can be transferred. */
  take(): { bytes: Uint8Array; rows: number } {
    const batch = { bytes: this.encoder.take(), rows: this.count };
    this.count = 0;
    return batch;
  }
}
