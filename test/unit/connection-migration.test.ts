/**
 * connections.json version 1 (no tunnels, no secrets) is read, and written as version 2 by the
 * next save; a password found in plain text (a hand-edited v1 file) is sealed at once.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectionsFileName } from '../../electron/connections/connection-store.js';
import { createHost } from '../../electron/host.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-migrate-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const v1 = {
  version: 1,
  connections: [
    {
      id: 'a1',
      name: 'Shop',
      readOnly: true,
      createdAt: '2024-01-02T03:04:05.000Z',
      config: { kind: 'sqlite', path: '/data/shop.db' },
    },
    {
      id: 'p1',
      name: 'Warehouse',
      readOnly: false,
      createdAt: '2024-01-02T03:04:05.000Z',
      config: {
        kind: 'postgres',
        host: 'db.example',
        port: 5432,
        user: 'reader',
        database: 'wh',
        password: 'plain-text-hunter2',
      },
    },
  ],
};

describe('connections.json migration', () => {
  it('reads version 1 and writes version 2, sealing a plain-text password', async () => {
    const file = path.join(dir, connectionsFileName);
    await fs.writeFile(file, JSON.stringify(v1));
    const host = await createHost({ dataDir: dir });
    try {
      const text = await fs.readFile(file, 'utf8');
      const onDisk = JSON.parse(text);
      expect(onDisk.version).toBe(2);
      expect(text).not.toContain('plain-text-hunter2');
      expect(onDisk.connections[0]).toMatchObject(v1.connections[0]!);
      expect(onDisk.connections[1].config).not.toHaveProperty('password');
      expect(onDisk.connections[1].secrets.password).toMatchObject({ box: 'key-file' });

      const listed = await host.call('listConnections', {});
      expect(listed.map((c) => [c.name, c.readOnly, c.hasPassword])).toEqual([
        ['Shop', true, false],
        ['Warehouse', false, true],
      ]);
      // The sealed password still opens: the vault gives it back for the engine.
      expect((await fs.stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    } finally {
      await host.close();
    }
  });

  it('leaves a version 1 file without secrets alone until something is saved', async () => {
    const file = path.join(dir, connectionsFileName);
    const text = JSON.stringify({ ...v1, connections: [v1.connections[0]] });
    await fs.writeFile(file, text);
    const host = await createHost({ dataDir: dir });
    try {
      expect(await fs.readFile(file, 'utf8')).toBe(text);
      await expect(fs.stat(path.join(dir, 'secret.key'))).rejects.toThrow();
      await host.call('saveConnection', {
        name: 'New',
        config: { kind: 'sqlite', path: '/data/new.db' },
      });
      const onDisk = JSON.parse(await fs.readFile(file, 'utf8'));
      expect(onDisk.version).toBe(2);
      expect(onDisk.connections.map((c: { name: string }) => c.name)).toEqual(['Shop', 'New']);
    } finally {
      await host.close();
    }
  });
});
