/**
 * What a folder tree (or bucket) holds, as the browser shows it: folders as schema nodes, data
 * files as tables, `*.view.json` files as views, and a hive-partitioned folder as one table, as is
 * a folder holding a `_strata_manifest.json` (a dataset Strata wrote, read by its manifest).
 * A dataset's path is its key split at `/`: `['sales', 'orders.csv']`, `['bucket', 'events']`.
 */
import { AppError } from '../../../shared/errors.js';
import type { DatasetPath, TreeNode } from '../../../shared/model.js';
import type { DatasetFile, DatasetSpec } from './dataset.js';
import { formatOf, isSidecar, isStrataPart, isViewFile, viewSuffix } from './formats.js';
import { hiveSpec, isHiveRoot, lastSegment } from './hive.js';
import { manifestName, manifestSpec, readManifest } from './manifest.js';
import { objectsName, objectsNode, objectsSpec } from './objects.js';
import type { FileSource, SourceEntry, SourceListing } from './source.js';

export type Resolved =
  { kind: 'dataset'; spec: DatasetSpec } | { kind: 'view'; entry: SourceEntry; folder: string };

/** A dataset path holds at most 8 parts; folders deeper than this are not shown. */
const maxDepth = 7;
const maxNodes = 20_000;
const listConcurrency = 8;

export interface TreeFile {
  node: TreeNode;
  spec: DatasetSpec;
}

export class Catalog {
  constructor(private readonly source: FileSource) {}

  /** The tree, plus every single-file dataset in it (for the caller to add row counts). */
  async tree(signal?: AbortSignal): Promise<{ nodes: TreeNode[]; files: TreeFile[] }> {
    const files: TreeFile[] = [];
    const written: Array<{ node: TreeNode; folder: string }> = [];
    let budget = maxNodes;
    const walk = async (listing: SourceListing, depth: number): Promise<TreeNode[]> => {
      const folders = listing.folders.filter((f) => !isSidecar(lastSegment(f)));
      const subListings = await mapLimit(folders, listConcurrency, (f) =>
        depth < maxDepth && budget-- > 0 ? this.source.list(f, signal) : Promise.resolve(undefined),
      );
      const nodes: TreeNode[] = [];
      for (const [i, folder] of folders.entries()) {
        const sub = subListings[i];
        if (!sub) continue;
        const path = pathOf(folder);
        if (sub.files.some((f) => lastSegment(f.key) === manifestName)) {
          // A dataset Strata wrote; its manifest gives the row count (read after the walk).
          const node: TreeNode = {
            id: path.join('/'),
            label: lastSegment(folder),
            kind: 'table',
            path,
          };
          nodes.push(node);
          written.push({ node, folder });
        } else if (isHiveRoot(sub)) {
          nodes.push({ id: path.join('/'), label: lastSegment(folder), kind: 'table', path });
        } else {
          const children = [objectsNode(path), ...(await walk(sub, depth + 1))];
          nodes.push({
            id: path.join('/'),
            label: lastSegment(folder),
            kind: 'schema',
            path,
            children,
          });
        }
      }
      for (const entry of listing.files) {
        const name = lastSegment(entry.key);
        const path = pathOf(entry.key);
        if (isSidecar(name) || isStrataPart(name)) continue;
        if (isViewFile(name)) {
          const label = name.slice(0, -viewSuffix.length);
          nodes.push({ id: path.join('/'), label, kind: 'view', path });
          continue;
        }
        const spec = singleFileSpec(entry);
        if (!spec) continue;
        const node: TreeNode = { id: path.join('/'), label: name, kind: 'table', path };
        nodes.push(node);
        files.push({ node, spec });
      }
      return nodes;
    };
    const nodes = await walk(await this.source.list('', signal), 0);
    await mapLimit(written, listConcurrency, async ({ node, folder }) => {
      // A manifest that cannot be read shows no count here; opening the dataset says why.
      const manifest = await readManifest(this.source, folder, signal).catch(() => undefined);
      if (manifest) Object.assign(node, { rowCount: manifest.rows, rowCountExact: true });
    });
    return { nodes, files };
  }

  async resolve(path: DatasetPath, signal?: AbortSignal): Promise<Resolved> {
    const key = path.join('/');
    const name = lastSegment(key);
    if (name === objectsName) {
      const prefix = path.length > 1 ? `${path.slice(0, -1).join('/')}/` : '';
      return { kind: 'dataset', spec: await objectsSpec(this.source, key, prefix, signal) };
    }
    const entry = await this.fileEntry(key, signal);
    if (entry) {
      if (isViewFile(name))
        return { kind: 'view', entry, folder: key.slice(0, key.length - name.length) };
      const spec = singleFileSpec(entry);
      if (spec) return { kind: 'dataset', spec };
      throw new AppError(
        'not-found',
        `${this.source.describeKey(key)} is not a data file Strata reads`,
        'Strata opens .csv, .tsv, .jsonl/.ndjson (optionally .gz) and .parquet files.',
      );
    }
    // A folder Strata wrote is exactly what its manifest lists, whatever else lies in it.
    const manifest = await readManifest(this.source, `${key}/`, signal);
    if (manifest) return { kind: 'dataset', spec: manifestSpec(key, `${key}/`, manifest) };
    const files = await this.source.walk(`${key}/`, signal).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not-found' && path.length > 1) return [];
      throw error;
    });
    const spec = hiveSpec(key, `${key}/`, files);
    if (spec) return { kind: 'dataset', spec };
    const alias = files.length === 0 ? await this.byStem(path, signal) : undefined;
    if (alias) return this.resolve(alias, signal);
    throw new AppError(
      'not-found',
      files.length > 0
        ? `${this.source.describeKey(`${key}/`)} is a folder, not a dataset`
        : `No dataset “${path.join('/')}” in ${this.source.label}`,
      'Run `strata ls` on the connection to see what it holds.',
    );
  }

  /**
   * `['lake', 'people']` for `lake/people.csv` when no other data file or view there is named
   * `people.*`: so a reference typed by hand (`Lake#lake.people`) needs no quotes.
   */
  private async byStem(path: DatasetPath, signal?: AbortSignal): Promise<DatasetPath | undefined> {
    const parent = path.slice(0, -1);
    const stem = path[path.length - 1]!;
    const listing = await this.source
      .list(parent.length ? `${parent.join('/')}/` : '', signal)
      .catch(() => undefined);
    const matches = (listing?.files ?? [])
      .map((f) => lastSegment(f.key))
      .filter((n) => n.startsWith(`${stem}.`) && (formatOf(n) !== undefined || isViewFile(n)));
    return matches.length === 1 ? [...parent, matches[0]!] : undefined;
  }

  private async fileEntry(key: string, signal?: AbortSignal): Promise<SourceEntry | undefined> {
    // A bucket name alone is not an object key.
    if (!key.includes('/') && this.source.identity.startsWith('s3:')) return undefined;
    return this.source.stat(key, signal);
  }
}

export function singleFileSpec(entry: SourceEntry): DatasetSpec | undefined {
  const format = formatOf(lastSegment(entry.key));
  if (!format) return undefined;
  const file: DatasetFile = {
    key: entry.key,
    size: entry.size,
    version: entry.version,
    format,
    partition: [],
  };
  return { id: entry.key, format: format.format, files: [file], partitionKeys: [] };
}

function pathOf(key: string): string[] {
  return key.split('/').filter((part) => part.length > 0);
}

/** `work` over `items`, at most `limit` at once; results in the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
) {
  const results = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}
