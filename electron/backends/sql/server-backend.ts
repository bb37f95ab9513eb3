/**
 * One Backend over any client/server SQL engine: pages, counts and cells built from the view
 * with bound parameters, a total order (the view's sort, then the engine's tie-break), and
 * keyset paging on the key for plain views. Engines differ only in what they pass as `SqlEngine`.
 */
import { AppError } from '../../../shared/errors.js';
import type {
  Capabilities,
  CellDetail,
  Column,
  DatasetPath,
  Page,
  ViewSpec,
} from '../../../shared/model.js';
import type {
  Backend,
  KeyBoundariesRequest,
  QueryOptions,
  RangeChecksumRequest,
} from '../backend.js';
import type { DatasetWriter } from '../writer.js';
import { KeysetBoundaries } from './keyset.js';
import { describeCell } from '../cells.js';
import { encodeServerCell } from './server-cells.js';
import { serverScan } from './server-scan.js';
import type { RowValue, ScanOptions } from '../scan.js';
import { serverChecksumRanges, serverKeyBoundaries } from './server-range-checksum.js';
import type { ServerDataset, SqlEngine, SqlParam } from './server-engine.js';
import { columnNamed, orderByClause, whereClause } from './view-query.js';

interface Cached {
  dataset: ServerDataset;
  keyset: KeysetBoundaries;
}

export function openServerBackend(
  engine: SqlEngine,
  capabilities: Capabilities,
  writer?: DatasetWriter,
): Backend {
  return new ServerBackend(engine, capabilities, writer);
}

class ServerBackend implements Backend {
  /**
   * Catalog lookups, kept so a page costs one round trip; dropped by `tree()` (the UI's refresh)
   * and whenever a query on the dataset fails, in case its shape changed under us.
   */
  private readonly datasets = new Map<string, Promise<Cached>>();

  readonly writer: DatasetWriter | undefined;

  constructor(
    private readonly engine: SqlEngine,
    readonly capabilities: Capabilities,
    writer: DatasetWriter | undefined,
  ) {
    this.writer = writer && this.forgetOnCommit(writer);
  }

  tree(options?: QueryOptions) {
    this.datasets.clear();
    return this.engine.tree(options);
  }

  async describe(path: DatasetPath, options?: QueryOptions) {
    return (await this.dataset(path, options)).dataset.described;
  }

  async page(
    path: DatasetPath,
    view: ViewSpec,
    offset: number,
    limit: number,
    options?: QueryOptions,
  ): Promise<Page> {
    const { dataset, keyset } = await this.dataset(path, options);
    const columns = dataset.described.columns;
    const keysetAt = keysetIndex(dataset, view);
    const rows = await this.read(path, dataset, keyset, view, offset, limit, columns, options);
    if (keysetAt !== undefined && rows.length > 0) {
      keyset.remember(offset + rows.length, rows[rows.length - 1]![keysetAt]);
    }
    const types = columns.map((c) => c.type);
    return { offset, rows: rows.map((row) => row.map((v, i) => encodeServerCell(v, types[i]!))) };
  }

  async count(path: DatasetPath, view: ViewSpec, options?: QueryOptions): Promise<number> {
    const { dataset } = await this.dataset(path, options);
    const where = this.where(dataset, view);
    const rows = await this.run(
      path,
      view,
      `SELECT count(*) FROM ${dataset.qualified} ${where.sql}`,
      where.params,
      options,
    );
    return Number(rows[0]?.[0] ?? 0);
  }

  async cell(
    path: DatasetPath,
    view: ViewSpec,
    row: number,
    columnName: string,
    options?: QueryOptions,
  ): Promise<CellDetail> {
    const { dataset, keyset } = await this.dataset(path, options);
    const column = columnNamed(dataset.described.columns, columnName);
    const rows = await this.read(path, dataset, keyset, view, row, 1, [column], options);
    if (rows.length === 0) {
      throw new AppError('not-found', `Row ${row + 1} is past the end of the dataset`);
    }
    return describeCell(column, rows[0]![0]);
  }

  get rangeChecksumHashes() {
    return this.engine.rangeChecksums?.hashes;
  }

  async checksumRanges(path: DatasetPath, request: RangeChecksumRequest, options?: QueryOptions) {
    const { dataset } = await this.dataset(path, options);
    return serverChecksumRanges(this.engine, dataset, request, options);
  }

  async keyBoundaries(path: DatasetPath, request: KeyBoundariesRequest, options?: QueryOptions) {
    const { dataset } = await this.dataset(path, options);
    return serverKeyBoundaries(this.engine, dataset, request, options);
  }

  async *scan(path: DatasetPath, options: ScanOptions): AsyncGenerator<RowValue[][]> {
    const { dataset } = await this.dataset(path, options);
    yield* serverScan(this.engine, dataset, options);
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  /** A committed write may have changed a table's shape: catalog lookups are read afresh. */
  private forgetOnCommit(writer: DatasetWriter): DatasetWriter {
    return {
      begin: async (target, options) => {
        const session = await writer.begin(target, options);
        // The session itself, its commit wrapped: a copy would lose its optional ways in
        // (rowEncoding, writeEncoded).
        const commit = session.commit.bind(session);
        session.commit = async () => {
          try {
            return await commit();
          } finally {
            this.datasets.clear();
          }
        };
        return session;
      },
    };
  }

  private async read(
    path: DatasetPath,
    dataset: ServerDataset,
    keyset: KeysetBoundaries,
    view: ViewSpec,
    offset: number,
    limit: number,
    selected: readonly Column[],
    options: QueryOptions | undefined,
  ): Promise<unknown[][]> {
    const { dialect } = this.engine;
    const list = selected.map((c) => dialect.quoteIdent(c.name)).join(', ');
    const useKeyset = keysetIndex(dataset, view) !== undefined;
    const start = useKeyset ? keyset.start(offset) : { after: undefined, skip: offset };
    const where =
      start.after !== undefined
        ? {
            sql: `WHERE ${dialect.quoteIdent(dataset.keysetColumn!)} > ${dialect.placeholder(1)}`,
            params: [start.after],
          }
        : this.where(dataset, view);
    const order = orderByClause(dialect, dataset.described.columns, view.sort, dataset.tieBreak);
    // Both limits are checked integers, so splicing them is safe, and it avoids the engines'
    // differing rules for placeholders in LIMIT (MySQL's prepared statements reject some).
    const sql = `SELECT ${list} FROM ${dataset.qualified} ${where.sql} ${order} LIMIT ${int(limit)} OFFSET ${int(start.skip)}`;
    return this.run(path, view, sql, where.params, options);
  }

  private where(dataset: ServerDataset, view: ViewSpec) {
    return whereClause(this.engine.dialect, dataset.described.columns, view.filters);
  }

  /** Runs a query on a dataset, naming the filtered columns when the server rejects a value. */
  private async run(
    path: DatasetPath,
    view: ViewSpec,
    sql: string,
    params: readonly SqlParam[],
    options: QueryOptions | undefined,
  ): Promise<unknown[][]> {
    try {
      return await this.engine.query(sql, params, options);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'cancelled') {
        this.datasets.delete(path.join('\u0000'));
      }
      if (error instanceof AppError && error.code === 'invalid-input' && view.filters.length > 0) {
        const names = [...new Set(view.filters.map((f) => `“${f.column}”`))].join(', ');
        throw new AppError(
          'invalid-input',
          `A filter value does not fit column ${names}: ${error.message}`,
          'Check the filter’s value against the column’s type.',
          { cause: error },
        );
      }
      throw error;
    }
  }

  private dataset(path: DatasetPath, options: QueryOptions | undefined): Promise<Cached> {
    if (options?.signal?.aborted) return Promise.reject(new AppError('cancelled', 'Cancelled'));
    const id = path.join('\u0000');
    let cached = this.datasets.get(id);
    if (!cached) {
      // The lookup is shared by every caller waiting for it, so no one caller's cancellation may
      // end it (the next caller would inherit "Cancelled"); the statement timeout bounds it.
      cached = this.engine
        .lookup(path, undefined)
        .then((dataset) => ({ dataset, keyset: new KeysetBoundaries() }));
      cached.catch(() => this.datasets.delete(id));
      this.datasets.set(id, cached);
    }
    return cached;
  }
}

/** The key column's index in the row when keyset paging applies to this view, else undefined. */
function keysetIndex(dataset: ServerDataset, view: ViewSpec): number | undefined {
  if (!dataset.keysetColumn || view.sort.length > 0 || view.filters.length > 0) return undefined;
  const index = dataset.described.columns.findIndex((c) => c.name === dataset.keysetColumn);
  return index < 0 ? undefined : index;
}

function int(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('invalid-input', `Bad row number ${n}`);
  return n;
}
