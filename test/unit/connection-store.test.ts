import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import {
  ConnectionStore,
  connectionsFileName,
  type SavedConnection,
} from '../../electron/connections/connection-store.js';
import { createHost } from '../../electron/host.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-store-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sample: SavedConnection[] = [
  {
    id: 'a1',
    name: 'Shop «東京» "quoted"',
    readOnly: true,
    createdAt: '2024-01-02T03:04:05.000Z',
    config: { kind: 'sqlite', path: '/data/shop.db' },
  },
  {
    id: 'b2',
    name: 'Other',
    readOnly: false,
    createdAt: '2024-01-02T03:04:05.000Z',
    config: { kind: 'sqlite', path: '/data/other.db' },
  },
];

describe('ConnectionStore', () => {
  it('answers undefined for a data directory never used', async () => {
    expect(await new ConnectionStore(dir).load()).toBeUndefined();
  });

  it('round-trips saved connections', async () => {
    await new ConnectionStore(dir).save(sample);
    expect(await new ConnectionStore(dir).load()).toEqual({ connections: sample, version: 2 });
    const onDisk = JSON.parse(await fs.readFile(path.join(dir, connectionsFileName), 'utf8'));
    expect(onDisk.version).toBe(2);
  });

  it('saves an empty list as a used directory, not a new one', async () => {
    await new ConnectionStore(dir).save([]);
    expect(await new ConnectionStore(dir).load()).toEqual({ connections: [], version: 2 });
  });

  it('leaves no temporary files behind after writing', async () => {
    const store = new ConnectionStore(dir);
    for (let i = 0; i < 5; i++) await store.save(sample.slice(0, i % 2 ? 1 : 2));
    expect(await fs.readdir(dir)).toEqual([connectionsFileName]);
  });

  it.each([
    ['not JSON', '{"version":1,"connections":[', /not valid JSON/],
    ['a future version', '{"version":3,"connections":[]}', /cannot be read/],
    ['a bad entry', '{"version":1,"connections":[{"id":"x"}]}', /cannot be read/],
    [
      'a bad v2 secret',
      '{"version":2,"connections":[{"id":"x","name":"x","createdAt":"","config":{"kind":"sqlite","path":"/x"},"secrets":{"password":"plain"}}]}',
      /cannot be read/,
    ],
  ])(
    'reports %s with the file path, and the host will not overwrite it',
    async (_, text, reason) => {
      const file = path.join(dir, connectionsFileName);
      await fs.writeFile(file, text);
      const before = await fs.stat(file);

      const error = await new ConnectionStore(dir).load().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('invalid-input');
      expect((error as AppError).message).toContain(file);
      expect((error as AppError).message).toMatch(reason);
      expect((error as AppError).hint).toMatch(/will not overwrite/);

      // Starting the app on it must fail rather than replace it with a fresh demo setup.
      await expect(createHost({ dataDir: dir })).rejects.toThrow(/cannot be read/);
      expect(await fs.readFile(file, 'utf8')).toBe(text);
      expect((await fs.stat(file)).mtimeMs).toBe(before.mtimeMs);
      expect(await fs.readdir(dir)).toEqual([connectionsFileName]);
    },
  );
});
