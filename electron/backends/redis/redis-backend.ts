/**
 * Redis behind the Backend interface. Datasets (paths.ts) are opened once and kept, with their
 * SCAN positions, so paging continues where it stopped; `tree()` (the UI's refresh) drops them.
 * Redis cannot sort or filter, so a view with a sort or filter is applied in memory over every
 * matching row when there are at most 100,000 of them, and refused with a clear error otherwise.
 */
import { AppError } from '../../../shared/errors.js';
import type { CellDetail, DatasetPath, Page, ViewSpec } from '../../../shared/model.js';
import type { Backend, BackendFactory, QueryOptions } from '../backend.js';
import type { DatasetWriter } from '../writer.js';
import { describeCell, encodeCell } from '../cells.js';
import { columnNamed, viewKey } from '../sql/view-query.js';
import { openClient, RedisConnection, runIn, type RedisConfig } from './connection.js';
import type { RedisDataset } from './dataset.js';
import { hashTable } from './hash-table.js';
import { keyBrowser } from './key-browser.js';
import { keyContents } from './key-contents.js';
import {
  applyView,
  checkView,
  maxInMemoryRows,
  needsInMemoryView,
  tooManyToSort,
} from './in-memory-view.js';
import { keyspaceTree } from './keyspace-tree.js';
import { parseRedisPath } from './paths.js';
import { createRedisWriter } from './redis-writer.js';
import { describeRedisTarget, redisCapabilities } from './engine.js';
import type { RawRow } from './values.js';

export const redisFactory: BackendFactory<RedisConfig> = {
  capabilities: redisCapabilities,
  describeTarget: describeRedisTarget,
  validate: async (config) => {
    const client = await openClient(config, config.db ?? 0);
    client.redis.disconnect();
  },
  open: async (config) => {
    const connection = new RedisConnection(config);
    // Fail at open, with the translated reason, rather than on the first click in the tree.
    try {
      await connection.run(connection.defaultDb, (redis) => redis.ping());
    } catch (error) {
      await connection.close();
      throw error;
    }
    return new RedisBackend(connection);
  },
};

/** A dataset opened longer ago than this is reopened when described (the UI opening it again). */
const freshFor = 30_000;

interface Opened {
  dataset: RedisDataset;
  openedAt: number;
  /** Every row, read once for in-memory views; undefined until a view needs it. */
  rows?: Promise<RawRow[]>;
  /** The last in-memory view's rows, so paging through it does not sort again. */
  viewed?: { key: string; rows: Promise<RawRow[]> };
}

class RedisBackend implements Backend {
  readonly capabilities = redisCapabilities;
  private readonly datasets = new Map<string, Promise<Opened>>();
  /** Uploads (redis-writer.ts); a commit drops every opened dataset, whose keys it may change. */
  readonly writer: DatasetWriter;

  constructor(private readonly connection: RedisConnection) {
    this.writer = createRedisWriter(connection.config, () => this.datasets.clear());
  }

  tree(options?: QueryOptions) {
    this.datasets.clear();
    return keyspaceTree(this.connection, options?.signal);
  }

  async describe(path: DatasetPath, options?: QueryOptions) {
    const cached = await this.datasets.get(path.join('\u0000'))?.catch(() => undefined);
    // Keys come and go: opening a dataset again should show its keyspace as it is now.
    if (cached && Date.now() - cached.openedAt > freshFor)
      this.datasets.delete(path.join('\u0000'));
    return (await this.opened(path, options?.signal)).dataset.schema;
  }

  async page(
    path: DatasetPath,
    view: ViewSpec,
    offset: number,
    limit: number,
    options?: QueryOptions,
  ): Promise<Page> {
    const { dataset } = await this.opened(path, options?.signal);
    const rows = await this.rows(path, view, offset, limit, options?.signal);
    const types = dataset.schema.columns.map((c) => c.type);
    return { offset, rows: rows.map((row) => row.map((v, i) => encodeCell(v, types[i]!))) };
  }

  async count(path: DatasetPath, view: ViewSpec, options?: QueryOptions): Promise<number> {
    const opened = await this.opened(path, options?.signal);
    if (view.filters.length === 0) return opened.dataset.count(options?.signal);
    return (await this.viewed(opened, { sort: [], filters: view.filters }, options?.signal)).length;
  }

  async cell(
    path: DatasetPath,
    view: ViewSpec,
    row: number,
    columnName: string,
    options?: QueryOptions,
  ): Promise<CellDetail> {
    const { dataset } = await this.opened(path, options?.signal);
    const columns = dataset.schema.columns;
    const column = columnNamed(columns, columnName);
    const rows = await this.rows(path, view, row, 1, options?.signal);
    if (rows.length === 0) {
      throw new AppError('not-found', `Row ${row + 1} is past the end of the dataset`);
    }
    const value = rows[0]![columns.indexOf(column)];
    // Bytes that are not UTF-8 are shown as hex, whatever the column usually holds.
    return describeCell(value instanceof Uint8Array ? { ...column, type: 'blob' } : column, value);
  }

  close(): Promise<void> {
    this.datasets.clear();
    return this.connection.close();
  }

  private async rows(
    path: DatasetPath,
    view: ViewSpec,
    offset: number,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<RawRow[]> {
    const opened = await this.opened(path, signal);
    if (!needsInMemoryView(view)) return opened.dataset.read(offset, limit, signal);
    return (await this.viewed(opened, view, signal)).slice(offset, offset + limit);
  }

  private viewed(opened: Opened, view: ViewSpec, signal?: AbortSignal): Promise<RawRow[]> {
    const { columns, key: keyColumns } = opened.dataset.schema;
    checkView(columns, view);
    const key = viewKey(view);
    if (opened.viewed?.key !== key) {
      const rows = this.allRows(opened, signal).then((all) =>
        applyView(columns, keyColumns, all, view),
      );
      opened.viewed = { key, rows };
      rows.catch(() => opened.viewed?.rows === rows && delete opened.viewed);
    }
    return opened.viewed.rows;
  }

  private allRows(opened: Opened, signal?: AbortSignal): Promise<RawRow[]> {
    if (!opened.rows) {
      const rows = opened.dataset.all(maxInMemoryRows, signal).then((all) => {
        if (!all) throw tooManyToSort(opened.dataset.label);
        return all;
      });
      opened.rows = rows;
      // A cancelled or failed read is not kept; "too many" is, since it will not change soon.
      rows.catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'invalid-input')) delete opened.rows;
      });
    }
    return opened.rows;
  }

  private opened(path: DatasetPath, _signal?: AbortSignal): Promise<Opened> {
    const id = path.join('\u0000');
    let pending = this.datasets.get(id);
    if (!pending) {
      // Shared by every waiting caller, so it ignores any one caller's cancellation.
      pending = this.open(path).then((dataset) => ({ dataset, openedAt: Date.now() }));
      pending.catch(() => this.datasets.delete(id));
      this.datasets.set(id, pending);
    }
    return pending;
  }

  private async open(path: DatasetPath, signal?: AbortSignal): Promise<RedisDataset> {
    const { db, kind, name } = parseRedisPath(path);
    const run = runIn(this.connection, db);
    switch (kind) {
      case 'keys':
        return keyBrowser(run, name);
      case 'key':
        return keyContents(run, name, signal);
      case 'hashes':
        return hashTable(run, name, signal);
    }
  }
}
