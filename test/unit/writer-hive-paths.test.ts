/**
 * Partition folder names as the folder/bucket writer makes them: escaped as Hive escapes them,
 * NULL as Hive's default partition, and read back to the same value by the reader's own parsing
 * (hive.ts), for any value; and the upload ids and part names cleanup and readers rely on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStrataPart } from '../../electron/backends/file-datasets/formats.js';
import {
  hiveNull,
  partitionFolder,
  partitionOf,
} from '../../electron/backends/file-datasets/hive.js';
import {
  isUploadId,
  newUploadId,
  partFileName,
  uploadStartedAt,
} from '../../electron/backends/file-datasets/upload-id.js';

describe('partitionFolder', () => {
  it('percent-encodes what would name another folder, or confuse Hive, as Hive does', () => {
    expect(partitionFolder('region', 'us/west')).toBe('region=us%2Fwest');
    expect(partitionFolder('k', 'a=b')).toBe('k=a%3Db');
    expect(partitionFolder('k', '100%')).toBe('k=100%25');
    expect(partitionFolder('k', 'x:y*z?"\'#\\{[]^')).toBe('k=x%3Ay%2Az%3F%22%27%23%5C%7B%5B%5D%5E');
    expect(partitionFolder('k', 'tab\there\nnl\u007f')).toBe('k=tab%09here%0Anl%7F');
  });

  it('leaves everything else as it is: spaces, dots, unicode', () => {
    expect(partitionFolder('day', '2024-01-01')).toBe('day=2024-01-01');
    expect(partitionFolder('k', 'a b.c-d_e,f+g')).toBe('k=a b.c-d_e,f+g');
    expect(partitionFolder('k', 'ünï 日本 😀')).toBe('k=ünï 日本 😀');
    expect(partitionFolder('k', '..')).toBe('k=..');
  });

  it('names NULL with Hive’s default partition, and the empty string with nothing', () => {
    expect(partitionFolder('k', null)).toBe(`k=${hiveNull}`);
    expect(partitionFolder('k', '')).toBe('k=');
  });

  it('reads back every value exactly, in one folder name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (value) => {
        const folder = partitionFolder('col', value);
        expect(folder.includes('/')).toBe(false);
        expect(partitionOf(folder)).toEqual(['col', value]);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (value) => {
        const folder = partitionFolder('col', value);
        expect(folder.includes('/')).toBe(false);
        // Lone surrogates cannot be a file name anywhere; everything else reads back.
        if (!/[\ud800-\udfff]/.test(value)) expect(partitionOf(folder)).toEqual(['col', value]);
      }),
    );
  });
});

describe('upload ids and part names', () => {
  it('carry the time the upload started', () => {
    const now = Date.UTC(2026, 10, 22, 10, 0, 0);
    const id = newUploadId(now);
    expect(isUploadId(id)).toBe(true);
    expect(uploadStartedAt(id)).toBe(now);
    expect(uploadStartedAt('not-an-id')).toBeUndefined();
    expect(newUploadId(now)).not.toBe(id);
  });

  it('name parts that only a manifest reads', () => {
    const id = newUploadId();
    expect(partFileName(3, id)).toBe(`part-00003-${id}.csv.gz`);
    expect(isStrataPart(partFileName(3, id))).toBe(true);
    expect(isStrataPart(partFileName(123_456, id))).toBe(true);
    expect(isStrataPart('part-00000.csv.gz')).toBe(false);
    expect(isStrataPart('part-00000-c000.snappy.parquet')).toBe(false);
    expect(isStrataPart(`part-00003-${id}.csv`)).toBe(false);
  });
});
