/**
 * Snapshot manifests: `snapshots/<id>.json`, written last and atomically, so a snapshot is listed
 * only once everything it needs is durable. Each carries a checksum of its own body; a manifest
 * read from disk is parsed with zod and its checksum checked before anything trusts it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { logicalTypes } from '../../shared/model.js';
import type { SnapshotInfo } from '../../shared/versions.js';
import { hashBytes } from './codec.js';
import { isMissing, writeDurable } from './durable.js';
import type { StoreLayout } from './layout.js';

const cellSchema = z.union([
  z.null(),
  z.string(),
  z.number(),
  z.boolean(),
  z.object({ $bigint: z.string() }),
  z.object({ $blob: z.number(), head: z.string() }),
  z.object({ $text: z.string(), length: z.number() }),
]);

const hashSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const chunkRefSchema = z.object({
  hash: hashSchema,
  rows: z.number().int().nonnegative(),
  /** Canonical bytes. */
  bytes: z.number().int().nonnegative(),
  /** Compressed bytes as stored. */
  stored: z.number().int().nonnegative(),
  firstKey: z.array(cellSchema),
  lastKey: z.array(cellSchema),
});
export type ChunkRef = z.infer<typeof chunkRefSchema>;

const manifestBody = {
  format: z.literal(1),
  id: z.string().regex(/^[0-9a-z]{4,64}$/),
  dataset: z.object({
    ref: z.string(),
    connectionId: z.string(),
    connectionName: z.string(),
    connectionKind: z.string(),
    path: z.array(z.string()),
  }),
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.enum(logicalTypes),
      nativeType: z.string(),
      nullable: z.boolean(),
    }),
  ),
  datasetKey: z.array(z.string()),
  key: z.array(z.string()),
  keyNote: z.string().optional(),
  rows: z.number().int().nonnegative(),
  canonicalBytes: z.number().int().nonnegative(),
  storedBytes: z.number().int().nonnegative(),
  newBytes: z.number().int().nonnegative(),
  newChunks: z.number().int().nonnegative(),
  parent: z.string().nullable(),
  createdAt: z.string(),
  message: z.string(),
  lossy: z.object({ cells: z.number().int(), note: z.string() }).optional(),
  /** The store's fingerprint of the dataset, taken before its rows were read (see Backend). */
  sourceFingerprint: z.string().max(512).optional(),
  /** Set when the fingerprint showed no change since that snapshot: its chunks were reused. */
  reusedFrom: z.string().optional(),
  encoding: z.literal('strata-rows-v1'),
  hash: z.literal('sha256'),
  compression: z.literal('zstd-3'),
  chunking: z.object({ target: z.number(), min: z.number(), max: z.number() }),
  chunks: z.array(chunkRefSchema),
};
const manifestSchema = z.object({ ...manifestBody, checksum: hashSchema });

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestBody = Omit<Manifest, 'checksum'>;

/** A manifest that could not be trusted, and what its chunk list names if it could be read. */
export interface DamagedManifest {
  file: string;
  id: string;
  reason: string;
  hashes: string[];
}

export function sealManifest(body: ManifestBody): Manifest {
  return { ...body, checksum: checksumOf(body) };
}

/** SHA-256 of the body as JSON with keys sorted, so it does not depend on property order. */
function checksumOf(body: unknown): string {
  return hashBytes(Buffer.from(stableJson(body)));
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function manifestPath(layout: StoreLayout, id: string): string {
  return path.join(layout.snapshots, `${id}.json`);
}

export async function writeManifest(layout: StoreLayout, manifest: Manifest): Promise<void> {
  await writeDurable(manifestPath(layout, manifest.id), JSON.stringify(manifest), layout.tmp);
}

/** Parses and checks a manifest; throws an AppError saying what is wrong. */
export function parseManifest(text: string, source: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw damaged(source, 'it is not JSON');
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(source, `${issue?.path.join('.') || 'it'}: ${issue?.message ?? 'malformed'}`);
  }
  const { checksum, ...body } = json as Record<string, unknown>;
  if (checksumOf(body) !== checksum) throw damaged(source, 'its checksum does not match');
  return parsed.data;
}

function damaged(source: string, why: string): AppError {
  return new AppError('internal', `The snapshot manifest ${source} is damaged: ${why}`);
}

/** Every manifest in the store, oldest first, and those that could not be trusted. */
export async function readManifests(
  layout: StoreLayout,
): Promise<{ manifests: Manifest[]; damaged: DamagedManifest[] }> {
  const names = await fs.readdir(layout.snapshots).catch((error: unknown) => {
    if (isMissing(error)) return [] as string[];
    throw error;
  });
  const manifests: Manifest[] = [];
  const damagedOnes: DamagedManifest[] = [];
  for (const name of names) {
    const id = /^([0-9a-z]{4,64})\.json$/.exec(name)?.[1];
    if (!id) continue; // temporary files and strays are not snapshots
    const text = await fs
      .readFile(path.join(layout.snapshots, name), 'utf8')
      .catch((e: unknown) => {
        if (isMissing(e)) return undefined; // deleted while listing
        throw e;
      });
    if (text === undefined) continue;
    try {
      const manifest = parseManifest(text, name);
      if (manifest.id !== id) throw damaged(name, `it names itself ${manifest.id}`);
      manifests.push(manifest);
    } catch (error) {
      damagedOnes.push({
        file: name,
        id,
        reason: (error as Error).message,
        hashes: hashesIn(text),
      });
    }
  }
  manifests.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return { manifests, damaged: damagedOnes };
}

/** Whatever looks like an object hash in a damaged manifest: gc must keep those too. */
function hashesIn(text: string): string[] {
  return [...new Set(text.match(/[0-9a-f]{64}/g) ?? [])];
}

/** A snapshot by id or unique id prefix. */
export async function findSnapshot(layout: StoreLayout, idOrPrefix: string): Promise<Manifest> {
  // A whole id is one file: reading every manifest costs ~30 ms at a few hundred snapshots,
  // which a diff of two snapshots pays twice.
  if (/^[0-9a-z]{4,64}$/.test(idOrPrefix)) {
    const name = `${idOrPrefix}.json`;
    const text = await fs.readFile(manifestPath(layout, idOrPrefix), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const manifest = parseManifest(text, name);
      if (manifest.id !== idOrPrefix) throw damaged(name, `it names itself ${manifest.id}`);
      return manifest;
    }
  }
  const { manifests, damaged: bad } = await readManifests(layout);
  const exact = manifests.find((m) => m.id === idOrPrefix);
  if (exact) return exact;
  const badOne = bad.find((d) => d.id === idOrPrefix);
  if (badOne) throw new AppError('internal', badOne.reason);
  const matches = manifests.filter((m) => m.id.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  throw new AppError(
    'not-found',
    matches.length > 1
      ? `More than one snapshot id starts with “${idOrPrefix}”`
      : `No snapshot “${idOrPrefix}”`,
    'Run `strata versions` to list snapshots.',
  );
}

export function snapshotInfo(manifest: Manifest): SnapshotInfo {
  const {
    chunks,
    checksum: _c,
    format: _f,
    encoding: _e,
    hash: _h,
    compression: _z,
    chunking: _k,
    sourceFingerprint: _s,
    ...rest
  } = manifest;
  const info: SnapshotInfo = { ...rest, chunks: chunks.length };
  if (chunks.length > 0) {
    info.firstKey = chunks[0]!.firstKey;
    info.lastKey = chunks[chunks.length - 1]!.lastKey;
  }
  return info;
}
