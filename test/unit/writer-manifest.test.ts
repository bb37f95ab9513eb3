/**
 * `_strata_manifest.json`: what is accepted, what is refused (with where and why), and the
 * dataset a reader builds from it — exactly the files listed, partition values from their folders,
 * the column types as written.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import {
  manifestSpec,
  manifestText,
  parseManifest,
  type Manifest,
} from '../../electron/backends/file-datasets/manifest.js';

const id = 'mwrodw01-efa1fe12';
const manifest: Manifest = {
  format: 'strata-dataset',
  formatVersion: 1,
  version: 2,
  uploadId: id,
  writtenAt: '2026-11-22T10:00:00.000Z',
  columns: [
    { name: 'id', type: 'integer', nativeType: '', nullable: false },
    { name: 'amount', type: 'decimal', nativeType: 'decimal(10,2)', nullable: true },
    { name: 'region', type: 'text', nativeType: '', nullable: true },
    { name: 'day', type: 'date', nativeType: '', nullable: true },
  ],
  key: ['id'],
  partitionBy: ['region', 'day'],
  rows: 5,
  files: [
    { path: `region=us%2Fwest/day=2024-01-01/part-00000-${id}.csv.gz`, rows: 3, bytes: 120 },
    { path: `region=__HIVE_DEFAULT_PARTITION__/day=/part-00001-${id}.csv.gz`, rows: 2, bytes: 90 },
  ],
};

function refusal(change: (m: Manifest) => unknown): AppError {
  const copy = structuredClone(manifest) as Manifest & Record<string, unknown>;
  change(copy);
  try {
    parseManifest(JSON.stringify(copy), 's3://lake/sales/_strata_manifest.json');
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('s3://lake/sales/_strata_manifest.json');
    return error as AppError;
  }
  throw new Error('accepted');
}

describe('parseManifest', () => {
  it('reads back what manifestText writes', () => {
    expect(parseManifest(manifestText(manifest), 'm')).toEqual(manifest);
  });

  it('refuses what is not JSON, or not a manifest', () => {
    expect(() => parseManifest('{"format":', 'm')).toThrow(/not a valid Strata manifest/);
    expect(refusal((m) => Object.assign(m, { format: 'delta' })).code).toBe('query-failed');
    expect(refusal((m) => Object.assign(m, { columns: [] })).message).toContain('columns');
    expect(refusal((m) => Object.assign(m, { uploadId: '../x' })).message).toContain('uploadId');
  });

  it('refuses a manifest from a newer Strata, saying so', () => {
    expect(refusal((m) => Object.assign(m, { formatVersion: 2 })).message).toMatch(/newer/);
  });

  it('refuses manifests that contradict themselves', () => {
    expect(refusal((m) => (m.rows = 6)).message).toContain('hold 5 rows, not 6');
    expect(refusal((m) => (m.key = ['nope'])).message).toContain('key column');
    expect(refusal((m) => (m.partitionBy = ['day', 'region'])).message).toContain('last');
    expect(refusal((m) => (m.partitionBy = ['id', 'amount', 'region', 'day'])).message).toContain(
      'last',
    );
    const dup = (m: Manifest) => m.columns.push({ ...m.columns[0]! });
    expect(refusal(dup).message).toContain('twice');
  });

  it('refuses file paths that leave the folder or skip a partition', () => {
    const path = (p: string) => (m: Manifest) => (m.files[0]!.path = p);
    expect(refusal(path(`../../etc/part-00000-${id}.csv.gz`)).message).toContain('partition');
    expect(refusal(path(`region=x/part-00000-${id}.csv.gz`)).message).toContain('one folder');
    expect(refusal(path(`day=x/region=y/part.csv.gz`)).message).toContain('not a folder of');
    expect(refusal(path(`region=x/day=y/notes.txt`)).message).toContain('not a data file');
    expect(refusal(path(`region=x\\..\\..\\day=y/a.csv`)).message).toContain('relative');
  });
});

describe('manifestSpec', () => {
  it('is exactly the files listed, with partition values decoded and the types as written', () => {
    const spec = manifestSpec('lake/sales', 'lake/sales/', manifest);
    expect(spec.files.map((f) => [f.key, f.size, f.partition, f.format])).toEqual([
      [
        `lake/sales/region=us%2Fwest/day=2024-01-01/part-00000-${id}.csv.gz`,
        120,
        ['us/west', '2024-01-01'],
        { format: 'csv', gzip: true },
      ],
      [
        `lake/sales/region=__HIVE_DEFAULT_PARTITION__/day=/part-00001-${id}.csv.gz`,
        90,
        ['__HIVE_DEFAULT_PARTITION__', ''],
        { format: 'csv', gzip: true },
      ],
    ]);
    expect(spec.partitionKeys).toEqual(['region', 'day']);
    expect(spec.manifest?.rows).toBe(5);
    expect(spec.manifest?.key).toEqual(['id']);
    // A declared decimal scale is kept, so the cache's doubles show their decimals.
    expect(spec.manifest?.columns[1]).toMatchObject({ type: 'decimal', scale: 2 });
  });
});
