/** Manifests: sealed with a checksum of their body, refused when tampered with or malformed. */
import { describe, expect, it } from 'vitest';
import { hashBytes } from '../../electron/versions/codec.js';
import {
  parseManifest,
  sealManifest,
  type ManifestBody,
} from '../../electron/versions/manifest.js';

const hash = hashBytes(Buffer.from('chunk'));
const body: ManifestBody = {
  format: 1,
  id: 'abcdef012345',
  dataset: {
    ref: 'shop#main.sales',
    connectionId: 'c1',
    connectionName: 'shop',
    connectionKind: 'sqlite',
    path: ['main', 'sales'],
  },
  columns: [{ name: 'id', type: 'integer', nativeType: 'INTEGER', nullable: false }],
  datasetKey: ['id'],
  key: ['id'],
  rows: 2,
  canonicalBytes: 10,
  storedBytes: 8,
  newBytes: 8,
  newChunks: 1,
  parent: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  message: 'first',
  encoding: 'strata-rows-v1',
  hash: 'sha256',
  compression: 'zstd-3',
  chunking: { target: 65536, min: 4096, max: 524288 },
  chunks: [
    {
      hash,
      rows: 2,
      bytes: 10,
      stored: 8,
      firstKey: [1],
      lastKey: [{ $bigint: '9007199254740993' }],
    },
  ],
};

describe('manifest', () => {
  it('round-trips through JSON with its checksum', () => {
    const sealed = sealManifest(body);
    expect(sealed.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(parseManifest(JSON.stringify(sealed), 'x.json')).toEqual(sealed);
  });

  it('does not depend on the order of properties', () => {
    const sealed = sealManifest(body);
    const reordered = Object.fromEntries(Object.entries(sealed).reverse());
    expect(parseManifest(JSON.stringify(reordered), 'x.json').checksum).toBe(sealed.checksum);
  });

  it('refuses a manifest whose body was changed', () => {
    const sealed = sealManifest(body);
    const text = JSON.stringify({ ...sealed, rows: 3 });
    expect(() => parseManifest(text, 'x.json')).toThrow(/x\.json is damaged: its checksum/);
  });

  it('refuses malformed manifests, saying where', () => {
    expect(() => parseManifest('{', 'a.json')).toThrow(/not JSON/);
    const sealed = sealManifest(body);
    const bad = { ...sealed, chunks: [{ ...sealed.chunks[0], hash: 'xyz' }] };
    expect(() => parseManifest(JSON.stringify(bad), 'b.json')).toThrow(/chunks\.0\.hash/);
  });
});
