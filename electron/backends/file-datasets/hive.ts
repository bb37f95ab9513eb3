/**
 * Hive-style partitions: a folder whose subfolders are named `key=value/` (possibly nested, e.g.
 * `year=2023/month=01/`) is one dataset; each file's folder names give its partition values.
 */
import type { DatasetFile, DatasetSpec } from './dataset.js';
import { formatOf, isSidecar, isStrataPart, type DataFormat } from './formats.js';
import type { SourceEntry, SourceListing } from './source.js';

const partitionPattern = /^([^=/]+)=([^/]*)$/;

/** Spark's and Hive's folder value for NULL. */
export const hiveNull = '__HIVE_DEFAULT_PARTITION__';

/** `key=value` → [key, decoded value]; undefined for any other folder name. */
export function partitionOf(folder: string): [string, string] | undefined {
  const match = partitionPattern.exec(folder);
  if (!match) return undefined;
  return [match[1]!, decode(match[2]!)];
}

/**
 * The folder holding rows whose partition column `name` is `value`, escaped as Hive escapes it
 * (FileUtils.escapePathName): control characters, DEL and each of `/ = % : * ? " ' # \ { [ ] ^`
 * as %XX, so a value can never name another folder; NULL is Hive's default partition.
 */
export function partitionFolder(name: string, value: string | null): string {
  if (value === null) return `${name}=${hiveNull}`;
  return `${name}=${value.replace(hiveEscaped, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
const hiveEscaped = /[\x00-\x1f"#%'*/:=?\\\x7f{[\]^]/g;

/** Hive writers escape `/`, `=`, `%` and the like in values as %XX. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Whether a folder, seen through its own listing, is the root of a partitioned dataset. */
export function isHiveRoot(listing: SourceListing): boolean {
  const folders = listing.folders.map(lastSegment).filter((name) => !isSidecar(name));
  if (folders.length === 0) return false;
  const keys = new Set(folders.map((name) => partitionOf(name)?.[0]));
  if (keys.size !== 1 || keys.has(undefined)) return false;
  return !listing.files.some((f) => isDataFile(lastSegment(f.key)));
}

/** The dataset under `prefix` from every file below it, or undefined when it is not partitioned. */
export function hiveSpec(
  id: string,
  prefix: string,
  entries: readonly SourceEntry[],
): DatasetSpec | undefined {
  let keys: string[] | undefined;
  const candidates: Array<DatasetFile & { family: DataFormat }> = [];
  for (const entry of entries) {
    const parts = entry.key.slice(prefix.length).split('/');
    const name = parts.pop()!;
    if (parts.length === 0 || isSidecar(name) || parts.some((p) => isSidecar(p))) continue;
    const partition = parts.map(partitionOf);
    if (partition.some((p) => p === undefined)) return undefined;
    const fileKeys = partition.map((p) => p![0]);
    if (!keys) keys = fileKeys;
    else if (fileKeys.join('/') !== keys.join('/')) return undefined;
    const format = isStrataPart(name) ? undefined : formatOf(name);
    if (!format) continue;
    candidates.push({
      key: entry.key,
      size: entry.size,
      version: entry.version,
      format,
      partition: partition.map((p) => p![1]),
      family: format.format,
    });
  }
  if (!keys || candidates.length === 0) return undefined;
  // Files of another format (a stray CSV among Parquet parts) are left out, not mixed in.
  const counts = new Map<DataFormat, number>();
  for (const c of candidates) counts.set(c.family, (counts.get(c.family) ?? 0) + 1);
  const format = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const files = candidates
    .filter((c) => c.family === format)
    .map(({ family: _family, ...file }) => file);
  return { id, format, files, partitionKeys: keys };
}

/** A file read as data where it lies (not a sidecar, not a part read only through a manifest). */
export function isDataFile(name: string): boolean {
  return formatOf(name) !== undefined && !isStrataPart(name);
}

export function lastSegment(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
