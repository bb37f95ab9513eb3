/**
 * `_strata_manifest.json`: what makes a folder a dataset Strata wrote. It is written last, in one
 * atomic step, and lists exactly the files the dataset is made of, with their row counts, the
 * columns with their logical types, the key and the partition columns. Readers that find one
 * read exactly those files — parts of an upload that never got as far as its manifest, or old
 * parts a replace has not yet deleted, are not part of the dataset — and take the column types
 * from it rather than guessing them from a sample.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { logicalTypes } from '../../../shared/model.js';
import { declaredDecimal } from '../sql/write-target.js';
import type { DatasetFile, DatasetSpec } from './dataset.js';
import { formatOf } from './formats.js';
import { partitionOf } from './hive.js';
import type { FileSource } from './source.js';
import { isUploadId } from './upload-id.js';
import type { DataColumn } from './values.js';

export const manifestName = '_strata_manifest.json';
export const manifestFormat = 'strata-dataset';
/** Bumped when a change would make older readers misread a manifest. */
export const manifestFormatVersion = 1;
/** Far more than any manifest needs (~100 bytes a file); a bigger file is not one of ours. */
const maxManifestBytes = 16 << 20;

const columnSchema = z.object({
  name: z.string().min(1),
  type: z.enum(logicalTypes),
  nativeType: z.string(),
  nullable: z.boolean(),
});

const fileSchema = z.object({
  /** Relative to the dataset's folder, `/`-separated: `date=2024-01-01/part-00000-….csv.gz`. */
  path: z.string().min(1).max(4096),
  rows: z.number().int().min(0),
  bytes: z.number().int().min(0),
});

const manifestSchema = z.object({
  format: z.literal(manifestFormat),
  formatVersion: z.number().int().min(1),
  version: z.number().int().min(1),
  uploadId: z.string().refine(isUploadId, 'not an upload id'),
  writtenAt: z.string(),
  /** The files' columns in order, then the partition columns (`partitionBy`'s order). */
  columns: z.array(columnSchema).min(1),
  key: z.array(z.string()),
  partitionBy: z.array(z.string()),
  rows: z.number().int().min(0),
  files: z.array(fileSchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof fileSchema>;

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** A manifest checked for shape and sense; `where` names it in errors. */
export function parseManifest(text: string, where: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(where, (error as Error).message);
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > manifestFormatVersion) {
    throw new AppError(
      'query-failed',
      `${where} was written by a newer version of Strata (format ${version})`,
      'Update Strata to read this dataset.',
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(where, `${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const manifest = parsed.data;
  const problem = inconsistency(manifest);
  if (problem) throw invalid(where, problem);
  return manifest;
}

/** What makes a well-formed manifest wrong; undefined when it is sound. */
function inconsistency(m: Manifest): string | undefined {
  const names = m.columns.map((c) => c.name);
  if (new Set(names).size !== names.length) return 'a column is listed twice';
  const missing = m.key.find((k) => !names.includes(k));
  if (missing !== undefined) return `key column “${missing}” is not a column`;
  const tail = names.slice(names.length - m.partitionBy.length);
  if (m.partitionBy.length >= names.length || tail.join('/') !== m.partitionBy.join('/')) {
    return 'the partition columns must be the last columns, after at least one other';
  }
  let rows = 0;
  for (const file of m.files) {
    rows += file.rows;
    if (file.path.includes('\\')) return `“${file.path}” is not a relative path`;
    const segments = file.path.split('/');
    const name = segments.pop()!;
    if (!formatOf(name)) return `“${file.path}” is not a data file Strata reads`;
    if (segments.length !== m.partitionBy.length) {
      return `“${file.path}” is not inside one folder per partition column`;
    }
    for (const [i, segment] of segments.entries()) {
      if (partitionOf(segment)?.[0] !== m.partitionBy[i]) {
        return `“${file.path}”: “${segment}” is not a folder of partition column “${m.partitionBy[i]}”`;
      }
    }
  }
  if (new Set(m.files.map((f) => formatOf(f.path)?.format)).size > 1) {
    return 'the files are not all in one format';
  }
  return rows === m.rows ? undefined : `its files hold ${rows} rows, not ${m.rows}`;
}

function invalid(where: string, why: string): AppError {
  return new AppError(
    'query-failed',
    `${where} is not a valid Strata manifest: ${why}`,
    'Restore the file, or delete it to read the folder as plain files.',
  );
}

/** The dataset a manifest describes; `folder` is the dataset folder's prefix, ending with `/`. */
export function manifestSpec(id: string, folder: string, manifest: Manifest): DatasetSpec {
  const files: DatasetFile[] = manifest.files.map((file) => {
    const segments = file.path.split('/');
    const name = segments.pop()!;
    return {
      key: folder + file.path,
      size: file.bytes,
      // Part names are unique per upload and never rewritten: the name is the version.
      version: name,
      format: formatOf(name)!,
      partition: segments.map((segment) => partitionOf(segment)![1]),
    };
  });
  const columns = manifest.columns.map((column): DataColumn => {
    const declared = column.type === 'decimal' ? declaredDecimal(column.nativeType) : undefined;
    // The cache holds decimals as doubles; a declared scale shows them with their decimals.
    return declared ? { ...column, scale: declared.scale } : { ...column };
  });
  return {
    id,
    format: files[0]?.format.format ?? 'csv',
    files,
    partitionKeys: [...manifest.partitionBy],
    manifest: {
      columns,
      key: [...manifest.key],
      rows: manifest.rows,
      version: manifest.version,
      uploadId: manifest.uploadId,
    },
  };
}

/** The manifest of the dataset folder `folder` (ending with `/`), or undefined when it has none. */
export async function readManifest(
  source: FileSource,
  folder: string,
  signal?: AbortSignal,
): Promise<Manifest | undefined> {
  const key = `${folder}${manifestName}`;
  const entry = await source.stat(key, signal);
  if (!entry) return undefined;
  const where = source.describeKey(key);
  if (entry.size > maxManifestBytes) throw invalid(where, 'it is far too large');
  const bytes = await source.readRange(key, 0, entry.size, signal);
  return parseManifest(new TextDecoder().decode(bytes), where);
}
