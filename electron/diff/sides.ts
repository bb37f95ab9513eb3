/**
 * From a contract `DiffSide` to something the diff can read: a snapshot's manifest, a live
 * dataset's backend, a CSV file; with a label for people and the table an SQL export changes.
 */
import path from 'node:path';
import type { DiffSide } from '../../shared/diff.js';
import { formatRef } from '../../shared/dataset-ref.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import type { Backend } from '../backends/backend.js';
import type { StoreLayout } from '../versions/layout.js';
import { findSnapshot, type Manifest } from '../versions/manifest.js';
import { csvSource } from './csv-source.js';
import { liveSource } from './row-source.js';
import type { ResolvedSide } from './run-diff.js';
import { snapshotSource, type ChunkCount } from './snapshot-source.js';

export interface OpenedSide {
  kind: DiffSide['kind'];
  label: string;
  /** The table an SQL export of the diff changes, when none is named. */
  table: string[];
  manifest?: Manifest;
  live?: { backend: Backend; path: string[] };
  /** Opens the side for reading (snapshots pair up first; see snapshotPair). */
  resolve(chunks: ChunkCount, signal: AbortSignal): Promise<ResolvedSide>;
}

export async function openSide(
  side: DiffSide,
  deps: { layout: StoreLayout; connections: ConnectionManager },
): Promise<OpenedSide> {
  if (side.kind === 'snapshot') {
    const manifest = await findSnapshot(deps.layout, side.snapshotId);
    const label = `snapshot ${manifest.id} of ${manifest.dataset.ref}`;
    return {
      kind: 'snapshot',
      label,
      table: manifest.dataset.path,
      manifest,
      resolve: async (chunks) => ({
        info: { kind: 'snapshot', label },
        source: snapshotSource(deps.layout, manifest, chunks),
        rows: manifest.rows,
      }),
    };
  }
  if (side.kind === 'dataset') {
    const connection = deps.connections.get(side.ref.connectionId);
    const backend = await deps.connections.backend(side.ref.connectionId);
    const label = formatRef(connection.name, side.ref.path);
    return {
      kind: 'dataset',
      label,
      table: side.ref.path,
      live: { backend, path: side.ref.path },
      resolve: async (_chunks, signal) => {
        const source = await liveSource(backend, side.ref.path, signal);
        const rows = await backend
          .count(side.ref.path, { sort: [], filters: [] }, { signal })
          .catch(() => undefined);
        return {
          info: { kind: 'dataset', label },
          source,
          ...(rows !== undefined ? { rows } : {}),
        };
      },
    };
  }
  const file = path.resolve(side.file);
  return {
    kind: 'csv',
    label: file,
    table: [path.basename(file).replace(/\.[^.]*$/, '')],
    resolve: async () => ({ info: { kind: 'csv', label: file }, source: await csvSource(file) }),
  };
}
