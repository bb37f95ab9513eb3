/**
 * Where dataset caches live on disk: one SQLite file per dataset version, named by a hash of the
 * source, the files' sizes and versions, and the inferred columns — so a changed file gets a new
 * cache, and an unchanged one finds its cache again after a restart. Caches not used for two
 * weeks are deleted when a connection first builds one.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ColumnsInfo } from './dataset.js';

/** Bumped whenever what a cache holds changes shape, so old caches are not read. */
const cacheFormat = 1;
const maxUnusedMs = 14 * 24 * 3600 * 1000;

export class CacheStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly identity: string,
  ) {}

  async fileFor(version: string, info: ColumnsInfo): Promise<string> {
    this.ready ??= this.prepare();
    await this.ready;
    const columns = info.columns.map((c) => [c.name, c.type, c.scale ?? null]);
    const hash = createHash('sha256')
      .update(JSON.stringify([cacheFormat, this.identity, version, columns, info.key]))
      .digest('hex')
      .slice(0, 40);
    const file = path.join(this.dir, `${hash}.sqlite`);
    // Touched, so that pruning sees it is still in use.
    const now = new Date();
    await fs.utimes(file, now, now).catch(() => undefined);
    return file;
  }

  async remove(file: string): Promise<void> {
    await fs.rm(file, { force: true });
  }

  private async prepare(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    const cutoff = Date.now() - maxUnusedMs;
    await Promise.all(
      names.map(async (name) => {
        const file = path.join(this.dir, name);
        const stats = await fs.stat(file).catch(() => undefined);
        const stale = name.endsWith('.tmp')
          ? stats && stats.mtimeMs < Date.now() - 24 * 3600 * 1000
          : stats && stats.mtimeMs < cutoff;
        if (stale) await fs.rm(file, { force: true });
      }),
    );
  }
}
