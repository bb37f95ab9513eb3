/**
 * Object metadata as a dataset: each folder (bucket, prefix) has an `_objects` entry listing every
 * file below it — key, size, last modified, ETag, storage class — so a lake can be browsed by
 * size or age with the grid's own sort and filter. The listing's content is its version, so the
 * cache behind sorts is rebuilt when objects come and go.
 */
import { createHash } from 'node:crypto';
import type { TreeNode } from '../../../shared/model.js';
import type { ColumnsInfo, DatasetSpec } from './dataset.js';
import type { FileSource, SourceEntry } from './source.js';
import type { DataColumn } from './values.js';

export const objectsName = '_objects';

const column = (name: string, type: DataColumn['type'], nullable: boolean): DataColumn => ({
  name,
  type,
  nativeType: 'object metadata',
  nullable,
});

export const objectColumns: ColumnsInfo = {
  columns: [
    column('key', 'text', false),
    column('size', 'bigint', false),
    column('last_modified', 'timestamp', true),
    column('etag', 'text', true),
    column('storage_class', 'text', true),
  ],
  fileColumns: 5,
  key: ['key'],
};

export function objectsNode(folderPath: readonly string[]): TreeNode {
  const path = [...folderPath, objectsName];
  return { id: path.join('/'), label: 'objects', kind: 'table', path };
}

/** The `_objects` dataset of `prefix`, versioned by a hash of its listing. */
export async function objectsSpec(
  source: FileSource,
  id: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<DatasetSpec> {
  const entries = await source.walk(prefix, signal);
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e.key}\u0000${e.version}\n`);
  return {
    id,
    format: 'objects',
    files: [],
    partitionKeys: [],
    objects: { prefix, version: hash.digest('hex') },
  };
}

/** The rows of an `_objects` dataset: one per file under its prefix, keys relative to it. */
export async function objectRows(
  source: FileSource,
  prefix: string,
  signal?: AbortSignal,
): Promise<unknown[][]> {
  const entries = await source.walk(prefix, signal);
  return entries.map((e: SourceEntry) => [
    e.key.slice(prefix.length),
    e.size,
    e.modified === undefined ? null : new Date(e.modified),
    e.etag ?? null,
    e.storageClass ?? null,
  ]);
}
