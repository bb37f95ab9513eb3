/**
 * The app's file boundary: a path the window names must have been picked, dropped or confirmed
 * by the person. FileGrants alone, then through a host, where a refused path is never read or
 * written.
 */
import { existsSync, promises as fs, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileGrants, type FileMode } from '../../electron/file-access.js';
import { createHost, type Host } from '../../electron/host.js';
import { AppError } from '../../shared/errors.js';

describe('FileGrants', () => {
  it('allows what was granted, for that mode only, without asking', async () => {
    const confirm = vi.fn(async () => false);
    const grants = new FileGrants(confirm);
    grants.grant('/data/in.csv', 'read');
    await grants.allow('/data/in.csv', 'read');
    await grants.allow('/data/x/../in.csv', 'read');
    expect(confirm).not.toHaveBeenCalled();
    await expect(grants.allow('/data/in.csv', 'write')).rejects.toThrow(/not allowed to write/);
    expect(confirm).toHaveBeenCalledWith('/data/in.csv', 'write');
  });

  it('asks about any other path, remembers a yes, and refuses with a permission error on no', async () => {
    const answers = new Map<string, boolean>([['/home/me/typed.csv', true]]);
    const confirm = vi.fn(async (file: string, _mode: FileMode) => answers.get(file) ?? false);
    const grants = new FileGrants(confirm);
    await grants.allow('/home/me/typed.csv', 'read');
    await grants.allow('/home/me/typed.csv', 'read');
    expect(confirm).toHaveBeenCalledTimes(1);
    const refused = await grants.allow('/home/me/.ssh/id_ed25519', 'read').catch((e) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('permission-denied');
    expect((refused as AppError).message).toContain('/home/me/.ssh/id_ed25519');
  });
});

describe('a host with a file boundary', () => {
  let dir: string;
  let host: Host;
  const confirm = vi.fn(async () => false);
  const grants = new FileGrants(confirm);

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-file-access-'));
    writeFileSync(path.join(dir, 'connections.json'), '{"version":2,"connections":[]}');
    writeFileSync(path.join(dir, 'secret.txt'), 'id,token\n1,hunter2\n');
    writeFileSync(path.join(dir, 'chosen.csv'), 'id,name\n1,a\n');
    host = await createHost({ dataDir: dir, fileAccess: grants });
  });
  afterAll(async () => {
    await host?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('previews a file the person chose, and refuses one they did not', async () => {
    grants.grant(path.join(dir, 'chosen.csv'), 'read');
    const sniffed = await host.call('sniffFile', { path: path.join(dir, 'chosen.csv') });
    expect(sniffed.preview.length).toBeGreaterThan(0);
    const refused = await host
      .call('sniffFile', { path: path.join(dir, 'secret.txt') })
      .catch((e: unknown) => e);
    expect((refused as AppError).code).toBe('permission-denied');
    expect(JSON.stringify(refused)).not.toContain('hunter2');
    expect(confirm).toHaveBeenCalledWith(path.join(dir, 'secret.txt'), 'read');
  });

  it('writes no export to a path the person did not choose', async () => {
    const target = path.join(dir, 'not-chosen.strata');
    await expect(
      host.call('exportSnapshot', { snapshotId: 'abcdef', file: target }),
    ).rejects.toMatchObject({ code: 'permission-denied' });
    expect(existsSync(target)).toBe(false);
    await expect(
      host.call('importSnapshot', { file: path.join(dir, 'secret.txt') }),
    ).rejects.toMatchObject({
      code: 'permission-denied',
    });
    await expect(
      host.call('addSqliteConnection', { path: path.join(dir, 'secret.txt') }),
    ).rejects.toMatchObject({ code: 'permission-denied' });
  });

  it('asks before a connection form names a folder or a file the person did not choose', async () => {
    await expect(
      host.call('saveConnection', { name: 'home', config: { kind: 'files', root: os.homedir() } }),
    ).rejects.toMatchObject({ code: 'permission-denied' });
    expect(confirm).toHaveBeenCalledWith(os.homedir(), 'read');
    await expect(
      host.call('testConnection', {
        draft: { config: { kind: 'sqlite', path: path.join(dir, 'secret.txt') } },
      }),
    ).rejects.toMatchObject({ code: 'permission-denied' });
    expect(await host.call('listConnections', {})).toEqual([]);
    grants.grant(dir, 'read');
    const saved = await host.call('saveConnection', {
      name: 'here',
      config: { kind: 'files', root: dir },
    });
    expect(saved.name).toBe('here');
  });
});
