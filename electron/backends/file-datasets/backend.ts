/**
 * The Backend over a FileSource, shared by the local-folder and S3 engines. Plain pages near the
 * start of a text file, and any plain page of a Parquet file, are read straight from the files;
 * everything that needs the whole dataset — counts, sorts, filters, deep pages — is answered from
 * a SQLite cache built once per file version in a worker, and waits for it (cancellably).
 * Uploads are written by dataset-writer.ts as manifest-listed folders of parts, which the catalog
 * reads back by their manifest; a commit drops what was known of the dataset it wrote.
 */
import type {
  Capabilities,
  CellDetail,
  DatasetSchema,
  Page,
  TreeNode,
  ViewSpec,
} from '../../../shared/model.js';
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import { WorkerPool } from '../../jobs/worker-pool.js';
import type { Backend, QueryOptions } from '../backend.js';
import type { CacheSummary } from './cache-build.js';
import { CacheStore } from './cache-store.js';
import { createFileDatasetWriter } from './dataset-writer.js';
import type { PartSizes } from './write-session.js';
import { Catalog } from './catalog.js';
import type { ColumnsInfo, DatasetSpec } from './dataset.js';
import type { SourceConfig } from './open-source.js';
import { openSource } from './open-source.js';
import type { Sample } from './sample.js';
import { Targets, type DatasetState, type ViewState } from './targets.js';
import { fixDecimalCells, fixDecimalDetail, publicSchema } from './output.js';
import { viewColumns } from './view-file.js';

export interface FileDatasetsOptions {
  capabilities: Capabilities;
  cacheDir: string;
  /** How long a file's size and version are trusted before they are checked again. */
  revalidateMs: number;
  /** Part sizes for uploads (tests make them small); defaults in dataset-writer.ts. */
  partSizes?: Partial<PartSizes>;
}

/** Plain pages of text files ending within this many rows are streamed rather than cached. */
export const directReadLimit = 10_000;
/** Text files this small are counted for the tree by reading them. */
const smallFileBytes = 256 * 1024;
const maxCountedTreeFiles = 200;
const readerThreads = 2;

export function openFileDatasets(config: SourceConfig, options: FileDatasetsOptions): Backend {
  const source = openSource(config);
  const workerData = { source: config };
  const readers = new WorkerPool('file-datasets', { workerData }, readerThreads);
  // Builds get their own thread, started on first need, so pages are never queued behind one.
  let builder: WorkerPool | undefined;
  const build = () => (builder ??= new WorkerPool('file-datasets', { workerData }, 1));
  const caches = new CacheStore(options.cacheDir, source.identity);
  const retire = (built: CacheSummary) => {
    void readers
      .call('drop', [built.file], { affinity: built.file })
      .catch(() => undefined)
      .then(() => caches.remove(built.file));
  };
  const catalog = new Catalog(source);
  const targets = new Targets(
    source,
    catalog,
    options.revalidateMs,
    (spec) => readers.call<Sample>('sample', [spec]),
    retire,
  );

  const infoOf = async (state: DatasetState): Promise<ColumnsInfo> => {
    if (state.built) return state.built.info;
    try {
      return await state.sample;
    } catch (error) {
      state.sample = readers.call<Sample>('sample', [state.spec]);
      state.sample.catch(() => undefined);
      throw error;
    }
  };

  const cacheOf = async (state: DatasetState, signal?: AbortSignal): Promise<CacheSummary> => {
    if (state.built) return state.built;
    if (!state.cache) {
      const info = await infoOf(state);
      const file = await caches.fileFor(state.version, info);
      state.cache = build()
        .call<CacheSummary>('build', [state.spec, info, file])
        .then((built) => (state.built = built));
      // A failed build is tried again by the next request that needs it.
      state.cache.catch(() => (state.cache = undefined));
    }
    return untilAborted(state.cache, signal);
  };

  const viewCacheOf = async (view: ViewState, signal?: AbortSignal): Promise<CacheSummary> => {
    if (view.built) return view.built;
    if (!view.cache) {
      const base = await cacheOf(view.base, signal);
      const file = await caches.fileFor(view.version, base.info);
      view.cache = build()
        .call<CacheSummary>('buildView', [base, view.definition, file])
        .then((built) => (view.built = built));
      view.cache.catch(() => (view.cache = undefined));
    }
    return untilAborted(view.cache, signal);
  };

  const cacheFor = (target: DatasetState | ViewState, signal?: AbortSignal) =>
    target.kind === 'view' ? viewCacheOf(target, signal) : cacheOf(target, signal);

  const cachedPage = async (
    built: CacheSummary,
    view: ViewSpec,
    offset: number,
    limit: number,
    signal?: AbortSignal,
  ) => {
    const page = await readers.call<Page>('page', [built.file, view, offset, limit], {
      signal,
      affinity: built.file,
    });
    return { offset, rows: fixDecimalCells(built.info.columns, page.rows) };
  };

  /** Whether a plain page can be read from the files without the cache. */
  const direct = (state: DatasetState, offset: number, limit: number) =>
    !state.built && (state.spec.format === 'parquet' || offset + limit <= directReadLimit);

  return {
    capabilities: options.capabilities,
    writer: createFileDatasetWriter(source, {
      ...(options.partSizes ? { sizes: options.partSizes } : {}),
      onCommit: (path) => targets.forget(path),
    }),

    async tree(queryOptions?: QueryOptions): Promise<TreeNode[]> {
      const { nodes, files } = await catalog.tree(queryOptions?.signal);
      await Promise.all(
        files.slice(0, maxCountedTreeFiles).map(async ({ node, spec }) => {
          const rows = await cheapCount(targets.adopt(spec), isSmall(spec)).catch(() => undefined);
          if (rows !== undefined) Object.assign(node, { rowCount: rows, rowCountExact: true });
        }),
      );
      return nodes;
    },

    /**
     * The version of the files the reads go through (sizes, modification times, ETags; see
     * `datasetVersion`): whatever a scan reads next is that state or a newer one. Views are
     * left out (their base may be read in another state).
     */
    async fingerprint(path, queryOptions) {
      const target = await targets.get(path, queryOptions?.signal);
      if (target.kind !== 'dataset') return undefined;
      return createHash('sha256').update(`strata-files-1\u0000${target.version}`).digest('hex');
    },

    async describe(path, queryOptions) {
      const target = await targets.get(path, queryOptions?.signal);
      if (target.kind === 'view') {
        const info =
          target.built?.info ?? viewColumns(target.definition, await infoOf(target.base));
        return publicSchema(info, 'view');
      }
      return publicSchema(await infoOf(target), 'table') satisfies DatasetSchema;
    },

    async page(path, view, offset, limit, queryOptions) {
      const signal = queryOptions?.signal;
      const target = await targets.get(path, signal);
      if (target.kind === 'dataset' && isPlain(view) && direct(target, offset, limit)) {
        const info = await infoOf(target);
        const rows = await readers.call<Page['rows']>('read', [target.spec, info, offset, limit], {
          signal,
        });
        return { offset, rows };
      }
      return cachedPage(await cacheFor(target, signal), view, offset, limit, signal);
    },

    async count(path, view, queryOptions) {
      const signal = queryOptions?.signal;
      const target = await targets.get(path, signal);
      if (target.kind === 'dataset' && isPlain(view)) {
        const rows = await cheapCount(target, true);
        if (rows !== undefined) return rows;
      }
      const built = await cacheFor(target, signal);
      if (isPlain(view)) return built.rows;
      return readers.call<number>('count', [built.file, view], { signal, affinity: built.file });
    },

    async cell(path, view, row, column, queryOptions): Promise<CellDetail> {
      const signal = queryOptions?.signal;
      const target = await targets.get(path, signal);
      if (target.kind === 'dataset' && isPlain(view) && direct(target, row, 1)) {
        const info = await infoOf(target);
        const detail = await readers.call<CellDetail | undefined>(
          'readCell',
          [target.spec, info, row, column],
          { signal },
        );
        if (!detail)
          throw new AppError('not-found', `Row ${row + 1} is past the end of the dataset`);
        return detail;
      }
      const built = await cacheFor(target, signal);
      const detail = await readers.call<CellDetail>('cell', [built.file, view, row, column], {
        signal,
        affinity: built.file,
      });
      return fixDecimalDetail(built.info.columns, detail);
    },

    async close() {
      await Promise.all([readers.close(), builder?.close()]);
      source.close?.();
    },
  };

  /** Rows of a plain dataset when known without reading it all: cache, Parquet footers, small files. */
  async function cheapCount(state: DatasetState, sample: boolean): Promise<number | undefined> {
    if (state.built) return state.built.rows;
    if (state.spec.format === 'parquet') return readers.call<number>('rowCount', [state.spec]);
    if (!sample) return undefined;
    // A sample that reached the end of the data counted every row.
    const sampled = await state.sample;
    return sampled.complete ? sampled.rows : undefined;
  }
}

function isSmall(spec: DatasetSpec): boolean {
  return (
    spec.files.length === 1 && !spec.files[0]!.format.gzip && spec.files[0]!.size <= smallFileBytes
  );
}

function isPlain(view: ViewSpec): boolean {
  return view.sort.length === 0 && view.filters.length === 0;
}

function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new AppError('cancelled', 'Cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AppError('cancelled', 'Cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
