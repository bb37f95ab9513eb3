/**
 * The datasets and views a connection has opened, each with what is known about its current
 * version: the sampled columns, and the cache once built. A path is looked up again after
 * `revalidateMs`; when any of its files changed (size, mtime or ETag), its state starts afresh
 * and the old cache is let go.
 */
import { posix } from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { DatasetPath } from '../../../shared/model.js';
import type { CacheSummary } from './cache-build.js';
import type { Catalog } from './catalog.js';
import { datasetVersion, type DatasetSpec } from './dataset.js';
import type { Sample } from './sample.js';
import type { FileSource } from './source.js';
import { parseViewDefinition, type ViewDefinition } from './view-file.js';

export interface DatasetState {
  kind: 'dataset';
  spec: DatasetSpec;
  version: string;
  checkedAt: number;
  sample: Promise<Sample>;
  cache?: Promise<CacheSummary>;
  built?: CacheSummary;
}

export interface ViewState {
  kind: 'view';
  id: string;
  version: string;
  checkedAt: number;
  definition: ViewDefinition;
  base: DatasetState;
  cache?: Promise<CacheSummary>;
  built?: CacheSummary;
}

const maxViewFileBytes = 1 << 20;

export class Targets {
  private readonly states = new Map<string, DatasetState | ViewState>();
  private readonly pending = new Map<string, Promise<DatasetState | ViewState>>();

  constructor(
    private readonly source: FileSource,
    private readonly catalog: Catalog,
    private readonly revalidateMs: number,
    private readonly sample: (spec: DatasetSpec) => Promise<Sample>,
    private readonly retire: (built: CacheSummary) => void,
  ) {}

  /** The state of the dataset or view at `path`, checked against the files if it may be stale. */
  get(path: DatasetPath, signal?: AbortSignal): Promise<DatasetState | ViewState> {
    const id = path.join('/');
    const known = this.states.get(id);
    if (known && Date.now() - known.checkedAt < this.revalidateMs) return Promise.resolve(known);
    let pending = this.pending.get(id);
    if (!pending) {
      pending = this.lookup(path, signal).finally(() => this.pending.delete(id));
      this.pending.set(id, pending);
    }
    return pending;
  }

  /** The state for a dataset just listed (by the tree), sharing what is known of its version. */
  adopt(spec: DatasetSpec): DatasetState {
    const known = this.states.get(spec.id);
    const version = datasetVersion(spec);
    if (known?.kind === 'dataset' && known.version === version) {
      known.checkedAt = Date.now();
      return known;
    }
    return this.replace(spec.id, this.fresh(spec, version));
  }

  /** Drops what is known of `path` (a dataset just written): the next request looks again. */
  forget(path: DatasetPath): void {
    const id = path.join('/');
    const old = this.states.get(id);
    this.states.delete(id);
    if (old?.built) this.retire(old.built);
  }

  /** Every cache built for the current versions, for closing. */
  builtCaches(): CacheSummary[] {
    return [...this.states.values()].flatMap((s) => (s.built ? [s.built] : []));
  }

  private async lookup(path: DatasetPath, signal?: AbortSignal): Promise<DatasetState | ViewState> {
    const resolved = await this.catalog.resolve(path, signal);
    if (resolved.kind === 'dataset') return this.adopt(resolved.spec);
    const id = path.join('/');
    const where = this.source.describeKey(resolved.entry.key);
    if (resolved.entry.size > maxViewFileBytes) {
      throw new AppError('query-failed', `${where} is too large to be a view definition`);
    }
    const bytes = await this.source.readRange(resolved.entry.key, 0, resolved.entry.size, signal);
    const definition = parseViewDefinition(new TextDecoder().decode(bytes), where);
    const basePath = resolveFrom(resolved.folder, definition.from, where);
    const base = await this.get(basePath, signal);
    if (base.kind !== 'dataset') {
      throw new AppError(
        'query-failed',
        `${where}: a view must read a data file, not another view`,
      );
    }
    const version = `${resolved.entry.version}|${base.version}`;
    const known = this.states.get(id);
    if (known?.kind === 'view' && known.version === version) {
      known.checkedAt = Date.now();
      return known;
    }
    const view: ViewState = { kind: 'view', id, version, checkedAt: Date.now(), definition, base };
    return this.replace(id, view);
  }

  private fresh(spec: DatasetSpec, version: string): DatasetState {
    const sample = this.sample(spec);
    // Sampling fails loudly when asked for; unobserved it must not crash the process.
    sample.catch(() => undefined);
    return { kind: 'dataset', spec, version, checkedAt: Date.now(), sample };
  }

  private replace<S extends DatasetState | ViewState>(id: string, state: S): S {
    const old = this.states.get(id);
    if (old?.built) this.retire(old.built);
    this.states.set(id, state);
    return state;
  }
}

/** `from` in a view file, relative to the view's folder, kept inside the connection. */
function resolveFrom(folder: string, from: string, where: string): DatasetPath {
  const joined = posix.normalize(posix.join('/', folder, from));
  const parts = joined.split('/').filter((p) => p.length > 0);
  if (parts.length === 0) throw new AppError('query-failed', `${where}: “from” names no dataset`);
  return parts;
}
