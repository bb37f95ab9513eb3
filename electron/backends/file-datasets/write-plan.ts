/**
 * What the dataset writer checks before it writes anything, and what it decides: the dataset's
 * folder, which columns go into the files and which name the partition folders, the manifest's
 * columns, and the dataset as it was (for append and replace). The name, key and append checks
 * are the SQL writers' own (sql/write-target.ts), since the dataset cache behind the grid is
 * SQLite; what only folders have — several partition columns, names that become folder names,
 * datasets only Strata may append to — is checked here.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import { partitionPlan } from '../sql/partition-keys.js';
import { checkAppendColumns, checkTargetShape } from '../sql/write-target.js';
import type { WriteMode, WriteTarget } from '../writer.js';
import { isStrataPart, isSidecar } from './formats.js';
import { lastSegment } from './hive.js';
import { readManifest, type Manifest } from './manifest.js';
import type { WritableFileSource } from './source.js';

export interface FileWritePlan {
  mode: WriteMode;
  /** The dataset folder's prefix, ending with `/`. */
  folder: string;
  /** Where the upload's private folder goes (see WritableFileSource.rootOf). */
  root: string;
  /** The dataset as it was at begin; undefined for create. */
  base: Manifest | undefined;
  /** Aligned to the rows, typed as values are spelled (an append's: the dataset's own types). */
  columns: Column[];
  fileColumns: number[];
  partitionColumns: number[];
  /** The manifest's columns: the files' columns, then the partition columns. */
  manifestColumns: Column[];
  key: string[];
  partitionBy: string[];
}

/** The cache compares names without case, like the SQL stores checkTargetShape was written for. */
const store = 'The dataset cache (SQLite)';

export async function planFileWrite(
  source: WritableFileSource,
  target: WriteTarget,
  signal?: AbortSignal,
): Promise<FileWritePlan> {
  checkNames(target);
  const key = target.path.join('/');
  const folder = `${key}/`;
  const root = source.rootOf(key);
  if (root === folder) {
    throw new AppError('invalid-input', 'Name a folder inside the bucket for the dataset');
  }
  const where = `“${target.path.join('/')}”`;
  const base = await readManifest(source, folder, signal);
  if (target.mode === 'create') {
    if (base || (await occupied(source, key, folder, signal))) {
      throw new AppError(
        'invalid-input',
        `${where} already exists in ${source.label}`,
        'Append to it, replace it, or choose another name.',
      );
    }
  } else if (!base) {
    if (await occupied(source, key, folder, signal)) {
      throw new AppError(
        'invalid-input',
        `${where} was not written by Strata (it has no ${'_strata_manifest.json'})`,
        'Strata appends to and replaces only datasets it wrote, so it never deletes or mixes with files it did not write. Write a new dataset instead.',
      );
    }
    throw new AppError('not-found', `No dataset ${where} in ${source.label}`, 'Create it instead.');
  }
  const partitionBy = partitioning(target, base, where);
  const index = (name: string) => target.columns.findIndex((c) => c.name === name);
  const partitionColumns = partitionBy.map(index);
  const fileColumns = target.columns.flatMap((c, i) => (partitionBy.includes(c.name) ? [] : [i]));
  if (target.mode === 'append') {
    checkAppendColumns({ columns: base!.columns, key: [], kind: 'table' }, target.columns, where);
    const own = new Map(base!.columns.map((c) => [c.name, c]));
    return {
      mode: target.mode,
      folder,
      root,
      base,
      columns: target.columns.map((c) => own.get(c.name)!),
      fileColumns,
      partitionColumns,
      manifestColumns: base!.columns,
      key: base!.key,
      partitionBy,
    };
  }
  return {
    mode: target.mode,
    folder,
    root,
    base,
    columns: target.columns,
    fileColumns,
    partitionColumns,
    manifestColumns: [...fileColumns, ...partitionColumns].map((i) => target.columns[i]!),
    key: [...target.key],
    partitionBy,
  };
}

function checkNames(target: WriteTarget): void {
  // The SQL checks allow one partition column; folders nest several, checked below.
  checkTargetShape({ ...target, partitionBy: target.partitionBy.slice(0, 1) }, store);
  for (const part of target.path) {
    if (isSidecar(part) || part === '..' || part.includes('\\')) {
      throw new AppError(
        'invalid-input',
        `“${part}” cannot name a dataset folder`,
        'Names starting with “_” or “.” are hidden from browsing; choose another name.',
      );
    }
  }
  const padded = target.columns.find((c) => c.name !== c.name.trim());
  if (padded) {
    throw new AppError(
      'invalid-input',
      `Column “${padded.name}” starts or ends with a space, which CSV readers drop`,
      'Rename the column.',
    );
  }
  const by = target.partitionBy;
  for (const [i, name] of by.entries()) {
    if (!target.columns.some((c) => c.name === name)) {
      throw new AppError('invalid-input', `“${name}” is not one of the columns being written`);
    }
    if (by.indexOf(name) !== i) {
      throw new AppError('invalid-input', `“${name}” is named twice as a partition column`);
    }
    // eslint-disable-next-line no-control-regex -- control characters cannot be in a folder name
    if (isSidecar(name) || /[/=\\\x00-\x1f%]/.test(name)) {
      throw new AppError(
        'invalid-input',
        `“${name}” cannot name partition folders (${name}=…)`,
        'Partition columns must not start with “_” or “.” nor hold “/”, “=”, “%” or “\\”; rename it.',
      );
    }
    partitionPlan(target.columns, [name], 'A folder of files');
  }
  if (by.length >= target.columns.length) {
    throw new AppError(
      'invalid-input',
      'Every column is a partition column: the files would hold nothing',
      'Leave at least one column out of the partitioning.',
    );
  }
}

/** An append keeps the dataset's partitioning; asking for another one is refused. */
function partitioning(target: WriteTarget, base: Manifest | undefined, where: string): string[] {
  if (target.mode !== 'append' || !base) return [...target.partitionBy];
  const asked = target.partitionBy;
  if (asked.length > 0 && asked.join('\u0000') !== base.partitionBy.join('\u0000')) {
    throw new AppError(
      'invalid-input',
      `${where} is partitioned by ${describe(base.partitionBy)}, not ${describe(asked)}`,
      'Append with the dataset’s own partitioning, or replace it.',
    );
  }
  const missing = base.partitionBy.find((name) => !target.columns.some((c) => c.name === name));
  if (missing !== undefined) {
    throw new AppError(
      'invalid-input',
      `${where} is partitioned by “${missing}”, which the upload lacks`,
      'Every appended row needs a value for each partition column.',
    );
  }
  return [...base.partitionBy];
}

function describe(names: readonly string[]): string {
  return names.length === 0 ? 'nothing' : names.map((n) => `“${n}”`).join(', ');
}

/** Whether anything but leftovers of Strata's own crashed uploads is at `key` or under it. */
async function occupied(
  source: WritableFileSource,
  key: string,
  folder: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (await source.stat(key, signal)) return true;
  const files = await source.walk(folder, signal).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not-found') return [];
    throw error;
  });
  return files.some((f) => !isStrataPart(lastSegment(f.key)));
}
