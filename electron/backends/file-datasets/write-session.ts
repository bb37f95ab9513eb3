/**
 * One upload into a folder or bucket. Rows become gzip CSV parts under the upload's private
 * folder (`_strata_tmp/<id>/data/…`, part-router.ts). Commit publishes: a journal first (so a
 * crash from here on can be finished or undone by cleanup), then every part moved to its final,
 * unique name in the dataset folder, then the manifest — written last, in one atomic step, and
 * the only thing readers go by. Until it lands the dataset reads exactly as before; once it has,
 * the new version is complete. Only then are a replace's old parts deleted and the private
 * folder removed; a crash there leaves garbage that readers ignore and cleanup removes.
 */
import { AppError } from '../../../shared/errors.js';
import { toAppError } from '../../monitor/errors.js';
import { checkRowWidth } from '../sql/write-values.js';
import type { WriteSession, WriteValue } from '../writer.js';
import { mapLimit } from './catalog.js';
import {
  manifestFormat,
  manifestFormatVersion,
  manifestName,
  manifestText,
  readManifest,
  type Manifest,
} from './manifest.js';
import { PartRouter, type WrittenPart } from './part-router.js';
import type { WritableFileSource } from './source.js';
import { journalBytes, journalKey, tempPrefix } from './write-cleanup.js';
import type { FileWritePlan } from './write-plan.js';

export interface PartSizes {
  /** A part is closed at about this many bytes of CSV. */
  partBytes: number;
  /** All open parts together are kept under this many bytes of CSV. */
  bufferBytes: number;
}

/** Moves (S3 copies) in flight at once while publishing. */
const moveConcurrency = 8;

export class FileWriteSession implements WriteSession {
  private readonly temp: string;
  private readonly router: PartRouter;
  private failure: AppError | undefined;
  /** Final keys of parts moved into the dataset folder, while not yet published. */
  private moved: string[] = [];
  private state: 'open' | 'publishing' | 'done' = 'open';
  private readonly onAbort = () => this.fail(new AppError('cancelled', 'Cancelled'));

  constructor(
    private readonly source: WritableFileSource,
    private readonly plan: FileWritePlan,
    private readonly uploadId: string,
    sizes: PartSizes,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.temp = tempPrefix(plan.root, uploadId);
    this.router = new PartRouter({
      columns: plan.columns,
      fileColumns: plan.fileColumns,
      partitionColumns: plan.partitionColumns,
      uploadId,
      ...sizes,
      store: (path, bytes) => source.put(this.staged(path), bytes, signal),
    });
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.onAbort();
  }

  async write(rows: WriteValue[][]): Promise<void> {
    this.check();
    if (this.state !== 'open') throw new AppError('internal', 'write() after commit()');
    try {
      checkRowWidth(rows, this.plan.columns.length);
      await this.router.add(rows);
    } catch (error) {
      this.fail(toAppError(error));
      throw this.failure;
    }
  }

  async commit(): Promise<{ rowsWritten: number }> {
    this.check();
    this.state = 'publishing';
    try {
      const parts = await this.router.finish();
      this.check();
      await this.publish(parts);
    } catch (error) {
      this.fail(toAppError(error));
      await this.abort();
      throw this.failure;
    }
    this.state = 'done';
    this.signal?.removeEventListener('abort', this.onAbort);
    // Published: what is left to delete is garbage readers ignore; cleanup retries what fails.
    const { base, folder } = this.plan;
    if (base && this.plan.mode === 'replace') {
      await this.source.remove(base.files.map((f) => folder + f.path)).catch(() => undefined);
    }
    await this.source.removeFolder(this.temp).catch(() => undefined);
    return { rowsWritten: this.router.rows };
  }

  async abort(): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'done';
    this.signal?.removeEventListener('abort', this.onAbort);
    // Parts still being stored would land after the folder is gone: wait for them first.
    await this.router.settle();
    const moved = this.moved;
    this.moved = [];
    await this.source.remove(moved).catch(() => undefined);
    await this.source.removeFolder(this.temp).catch(() => undefined);
  }

  private async publish(parts: WrittenPart[]): Promise<void> {
    const { folder, base } = this.plan;
    const current = await readManifest(this.source, folder, this.signal);
    if (current?.uploadId !== base?.uploadId) {
      throw new AppError(
        'locked',
        `Another upload changed ${this.source.describeKey(folder)} while this one was running`,
        'Nothing was published; load the file again.',
      );
    }
    const finalKeys = parts.map((p) => folder + p.path);
    const retire =
      base && this.plan.mode === 'replace' ? base.files.map((f) => folder + f.path) : [];
    const journal = { uploadId: this.uploadId, folder, moved: finalKeys, retire };
    await this.source.put(journalKey(this.temp), journalBytes(journal), this.signal);
    await mapLimit(parts, moveConcurrency, async (part) => {
      this.check();
      const to = folder + part.path;
      this.moved.push(to);
      await this.source.moveInto(this.staged(part.path), to, this.signal);
    });
    this.check();
    const manifest = this.manifest(parts);
    try {
      await this.source.put(folder + manifestName, Buffer.from(manifestText(manifest)));
    } catch (error) {
      // An answer lost on the way back (a timeout) may hide a PUT that landed: look before undoing.
      const landed = await readManifest(this.source, folder).catch(() => undefined);
      if (landed?.uploadId !== this.uploadId) throw error;
    }
    this.moved = [];
  }

  /**
   * Where a part waits to be published: flat, by its name alone (unique in the upload), so the
   * key holds no partition value — S3 copies name their source in a URL-encoded header, which
   * S3-compatible servers decode in differing ways.
   */
  private staged(path: string): string {
    return `${this.temp}data/${path.slice(path.lastIndexOf('/') + 1)}`;
  }

  private manifest(parts: WrittenPart[]): Manifest {
    const { base, manifestColumns, key, partitionBy } = this.plan;
    const kept = base && this.plan.mode === 'append' ? base.files : [];
    const files = [...kept, ...parts.map(({ path, rows, bytes }) => ({ path, rows, bytes }))];
    return {
      format: manifestFormat,
      formatVersion: manifestFormatVersion,
      version: (base?.version ?? 0) + 1,
      uploadId: this.uploadId,
      writtenAt: new Date().toISOString(),
      columns: manifestColumns.map(({ name, type, nativeType, nullable }) => ({
        name,
        type,
        nativeType,
        nullable,
      })),
      key,
      partitionBy,
      rows: files.reduce((sum, f) => sum + f.rows, 0),
      files,
    };
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.state === 'done') throw new AppError('internal', 'This write session has ended');
  }

  private fail(error: AppError): void {
    this.failure ??= error;
  }
}
