/**
 * One upload into Redis, on a connection of its own. Each row becomes a hash — fields are the
 * columns, values their text (bytes for blobs), a NULL field left out — written under a temporary
 * key `_strata_tmp:<upload id>:<final key>` in one pipeline per batch. Commit publishes in one
 * MULTI/EXEC: (replace) UNLINK of the hashes under the prefix, then a RENAME of every temporary
 * key onto its final name; EXEC runs them all at once, with no other client's command between.
 * Abort, or a dropped connection, leaves only temporary keys, which abort unlinks and cleanup
 * (write-keys.ts) removes after a crash.
 *
 * Measured on Redis 7.0 (loopback): a MULTI of 200,000 RENAMEs takes 5.7 s, of which EXEC holds
 * the server for 1.0 s (5 µs a rename); the rest is queueing the commands. A million rows would
 * block the server ~5 s. WATCH on every key was measured too and dropped: Redis checks each
 * newly watched key against the client's list, so 100,000 keys took 47 s.
 *
 * Without WATCH, what commit cannot see: a key created under the prefix with another name between
 * its check and EXEC (a create then publishes beside it, a replace leaves it), and a temporary
 * key evicted (maxmemory with an allkeys-* policy) between the existence check just before MULTI
 * and EXEC — its RENAME alone fails, and commit reports how many rows were not published.
 */
import type { Redis } from 'ioredis';
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import { blobBytes, checkRowWidth, valueText, type TextSpelling } from '../sql/write-values.js';
import type { WriteMode, WriteSession, WriteValue } from '../writer.js';
import { execPipeline, integerOrNull } from './replies.js';
import { anyKeyUnder, hashesUnder, keysPerCommand, tempKeyOf, unlinkAll } from './write-keys.js';

/** Words the hashes reader types back as booleans (values.ts inferType). */
const spelling: TextSpelling = { true: 'true', false: 'false', nonFinite: true };

export interface RedisWritePlan {
  prefix: string;
  mode: WriteMode;
  columns: Column[];
  /** Indexes of the key columns; their values, joined by `:`, follow the prefix. */
  keyColumns: number[];
  uploadId: string;
}

export class RedisWriteSession implements WriteSession {
  /** Final keys written so far: what commit renames, and what abort unlinks (as temp keys). */
  private readonly keys = new Set<string>();
  private rows = 0;
  private failure: AppError | undefined;
  private state: 'open' | 'publishing' | 'done' = 'open';
  private readonly onAbort = () => this.fail(new AppError('cancelled', 'Cancelled'));

  constructor(
    private readonly redis: Redis,
    private readonly plan: RedisWritePlan,
    private readonly translate: (error: unknown) => AppError,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.onAbort();
  }

  async write(rows: WriteValue[][]): Promise<void> {
    this.check();
    if (this.state !== 'open') throw new AppError('internal', 'write() after commit()');
    try {
      checkRowWidth(rows, this.plan.columns.length);
      const pipeline = this.redis.pipeline();
      for (const row of rows) {
        const key = this.finalKey(row);
        const temp = tempKeyOf(this.plan.uploadId, key);
        // A key given twice: the later row replaces the earlier one whole, as a rename would.
        if (this.keys.has(key)) pipeline.del(temp);
        else this.keys.add(key);
        pipeline.hset(temp, ...this.fields(row));
      }
      const failed = (await execPipeline(pipeline)).find((r) => r instanceof Error);
      if (failed) throw failed;
      this.rows += rows.length;
    } catch (error) {
      this.fail(this.translate(error));
      throw this.failure;
    }
  }

  async commit(): Promise<{ rowsWritten: number }> {
    this.check();
    this.state = 'publishing';
    try {
      await this.publish();
    } catch (error) {
      this.fail(this.translate(error));
      await this.abort();
      throw this.failure;
    }
    this.finish();
    this.redis.disconnect();
    return { rowsWritten: this.rows };
  }

  async abort(): Promise<void> {
    if (this.state === 'done') return;
    this.finish();
    try {
      await unlinkAll(
        this.redis,
        [...this.keys].map((k) => tempKeyOf(this.plan.uploadId, k)),
      );
    } catch {
      // The connection is gone: cleanup removes the temporary keys at the next upload.
    } finally {
      this.redis.disconnect();
    }
  }

  private async publish(): Promise<void> {
    const { prefix, mode, uploadId } = this.plan;
    const finals = [...this.keys];
    const temps = finals.map((k) => tempKeyOf(uploadId, k));
    if (mode === 'create' && (await anyKeyUnder(this.redis, prefix))) {
      throw new AppError(
        'invalid-input',
        `Keys under “${prefix}” appeared while uploading`,
        'Nothing was published. Append to them, replace them, or choose another prefix.',
      );
    }
    const missing = finals.length - (await existing(this.redis, temps));
    if (missing > 0) {
      throw new AppError(
        'unavailable',
        `${missing} of the upload’s temporary keys vanished before publishing (evicted by maxmemory?)`,
        'Nothing was published. Free memory on the server, or raise maxmemory, and load again.',
      );
    }
    const old = mode === 'replace' ? await hashesUnder(this.redis, prefix) : [];
    this.check();
    const multi = this.redis.multi();
    for (let i = 0; i < old.length; i += keysPerCommand) {
      multi.unlink(...old.slice(i, i + keysPerCommand));
    }
    for (let i = 0; i < finals.length; i++) multi.rename(temps[i]!, finals[i]!);
    const results = await multi.exec();
    if (results === null) throw new AppError('unavailable', 'Redis discarded the transaction');
    this.keys.clear();
    const failed = results.filter(([error]) => error).length;
    if (failed > 0) {
      throw new AppError(
        'internal',
        `${failed} of ${finals.length} rows were not published: their temporary keys vanished just before EXEC`,
        'The other rows are in place. Load the file again with replace to make the dataset whole.',
      );
    }
  }

  private finalKey(row: readonly WriteValue[]): string {
    const parts = this.plan.keyColumns.map((i) => {
      const value = row[i]!;
      const column = this.plan.columns[i]!;
      if (value === null) {
        throw new AppError(
          'invalid-input',
          `A row has no value for key column “${column.name}”, so its hash has no name`,
        );
      }
      return value instanceof Uint8Array
        ? Buffer.from(value).toString('hex')
        : valueText(value, column.type, column.name, spelling);
    });
    return this.plan.prefix + parts.join(':');
  }

  /** [field, value, field, value…]; NULLs are left out (the key's fields are never NULL). */
  private fields(row: readonly WriteValue[]): Array<string | Buffer> {
    const out: Array<string | Buffer> = [];
    const { columns } = this.plan;
    for (let i = 0; i < columns.length; i++) {
      const value = row[i]!;
      if (value === null) continue;
      const column = columns[i]!;
      out.push(column.name);
      out.push(
        column.type === 'blob' || value instanceof Uint8Array
          ? Buffer.from(blobBytes(value))
          : valueText(value, column.type, column.name, spelling),
      );
    }
    return out;
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

/** How many of `keys` exist, by pipelined multi-key EXISTS. */
async function existing(redis: Redis, keys: readonly string[]): Promise<number> {
  const pipeline = redis.pipeline();
  for (let i = 0; i < keys.length; i += keysPerCommand) {
    pipeline.exists(...keys.slice(i, i + keysPerCommand));
  }
  const replies = await execPipeline(pipeline);
  return replies.reduce<number>((sum, reply) => sum + (integerOrNull(reply) ?? 0), 0);
}
