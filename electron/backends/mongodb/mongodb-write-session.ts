/**
 * One upload into MongoDB. Rows are inserted (insertMany, unordered: any error fails the upload
 * anyway, and unordered batches go faster on sharded clusters; validation is never bypassed)
 * into a private collection `_strata_tmp_<upload id>` in the target's database, then published:
 * - create: renameCollection onto the target, which fails if the target appeared meanwhile;
 * - replace: renameCollection with dropTarget, one atomic step on the server (the temporary
 *   collection was created with the target's options and indexes, so its validator and unique
 *   indexes judged the new rows, and the replaced collection keeps them);
 * - append, where the server has transactions (a replica set or mongos): the staged documents
 *   copied into the target inside one transaction — all or nothing, within the server's limits
 *   on a transaction (60 s by default): a larger append fails whole and says so;
 * - append on a standalone server: `$merge` from the staged collection. Not atomic: the new
 *   documents appear while they are copied in; should the copy fail, the ones copied are deleted
 *   again (by _id) — unless the connection itself is lost, when they stay.
 * Abort drops the private collection; cleanup (mongodb-writer.ts) drops those of crashed uploads.
 */
import type { Collection, Db, Document, MongoClient } from 'mongodb';
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import { checkRowWidth } from '../sql/write-values.js';
import type { WriteMode, WriteSession, WriteValue } from '../writer.js';
import { toDocument } from './write-documents.js';

export interface MongoWritePlan {
  database: string;
  collection: string;
  temp: string;
  mode: WriteMode;
  columns: Column[];
  paths: string[][];
  /** Whether the deployment runs multi-document transactions (replica set, mongos). */
  transactions: boolean;
  /** Whether the rows carry their own `_id` (a column named `_id`). */
  ownIds: boolean;
}

/** Documents per batch copied into the target when appending. */
const copyBatch = 1_000;

export class MongoWriteSession implements WriteSession {
  private readonly db: Db;
  private rows = 0;
  /** The insert in flight: abort waits for it, or it would recreate the dropped collection. */
  private pending: Promise<unknown> = Promise.resolve();
  private failure: AppError | undefined;
  private state: 'open' | 'publishing' | 'done' = 'open';
  private readonly onAbort = () => this.fail(new AppError('cancelled', 'Cancelled'));

  constructor(
    private readonly client: MongoClient,
    private readonly plan: MongoWritePlan,
    private readonly translate: (error: unknown) => AppError,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.db = client.db(plan.database);
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.onAbort();
  }

  async write(rows: WriteValue[][]): Promise<void> {
    this.check();
    if (this.state !== 'open') throw new AppError('internal', 'write() after commit()');
    if (rows.length === 0) return;
    try {
      checkRowWidth(rows, this.plan.columns.length);
      const docs = rows.map((row) => toDocument(row, this.plan.columns, this.plan.paths));
      const insert = this.staged().insertMany(docs, {
        ordered: false,
        bypassDocumentValidation: false,
      });
      this.pending = insert.catch(() => undefined);
      await insert;
      this.rows += rows.length;
    } catch (error) {
      this.fail(this.translate(error));
      throw this.failure;
    }
  }

  async commit(): Promise<{ rowsWritten: number }> {
    this.check();
    this.state = 'publishing';
    const { temp, collection, mode } = this.plan;
    try {
      if (mode === 'append') {
        await (this.plan.transactions ? this.appendInTransaction() : this.appendByMerge());
        await this.staged().drop();
      } else {
        await this.db.renameCollection(temp, collection, { dropTarget: mode === 'replace' });
      }
    } catch (error) {
      this.fail(this.translate(error));
      await this.abort();
      throw this.failure;
    }
    this.finish();
    return { rowsWritten: this.rows };
  }

  async abort(): Promise<void> {
    if (this.state === 'done') return;
    this.finish();
    await this.pending;
    await this.staged()
      .drop()
      .catch(() => undefined);
  }

  private staged(): Collection<Document> {
    return this.db.collection(this.plan.temp);
  }

  private target(): Collection<Document> {
    return this.db.collection(this.plan.collection);
  }

  private async appendInTransaction(): Promise<void> {
    const session = this.client.startSession();
    try {
      await session.withTransaction(async () => {
        let batch: Document[] = [];
        for await (const doc of this.staged().find({}, { sort: { _id: 1 } })) {
          batch.push(doc);
          if (batch.length < copyBatch) continue;
          await this.target().insertMany(batch, { session, bypassDocumentValidation: false });
          batch = [];
          this.check();
        }
        if (batch.length > 0) {
          await this.target().insertMany(batch, { session, bypassDocumentValidation: false });
        }
      });
    } finally {
      await session.endSession();
    }
  }

  private async appendByMerge(): Promise<void> {
    if (this.plan.ownIds) await this.refuseTakenIds();
    this.check();
    try {
      await this.staged()
        .aggregate([
          {
            $merge: {
              into: this.plan.collection,
              on: '_id',
              whenMatched: 'fail',
              whenNotMatched: 'insert',
            },
          },
        ])
        .toArray();
    } catch (error) {
      // Undo what was copied: the staged _ids are this upload's own (checked free just above).
      await this.deleteStagedIds().catch(() => undefined);
      throw error;
    }
  }

  /** Given _ids that the target already holds would fail the merge half-way: refuse them first. */
  private async refuseTakenIds(): Promise<void> {
    for await (const ids of this.stagedIds()) {
      const filter: Document = { _id: { $in: ids } };
      const taken = await this.target().findOne(filter, { projection: { _id: 1 } });
      if (taken) {
        throw new AppError(
          'invalid-input',
          `A row’s _id is already in ${this.plan.collection}: ${JSON.stringify(taken._id)}`,
          'Nothing was appended. Leave out the rows already there, or replace the collection.',
        );
      }
    }
  }

  private async deleteStagedIds(): Promise<void> {
    for await (const ids of this.stagedIds()) {
      const filter: Document = { _id: { $in: ids } };
      await this.target().deleteMany(filter);
    }
  }

  private async *stagedIds(): AsyncGenerator<unknown[]> {
    let ids: unknown[] = [];
    for await (const doc of this.staged().find({}, { projection: { _id: 1 } })) {
      ids.push(doc._id);
      if (ids.length >= copyBatch) {
        yield ids;
        ids = [];
      }
    }
    if (ids.length > 0) yield ids;
  }

  private finish(): void {
    this.state = 'done';
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.state === 'done') throw new AppError('internal', 'This write session has ended');
  }

  private fail(error: AppError): void {
    this.failure ??= error;
  }
}
