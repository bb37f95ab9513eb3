/**
 * Adding a SQLite connection checks the file first and changes nothing when the check fails:
 * not the saved connections, not the file, not its journal.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../electron/host.js';
import type { ErrorCode } from '../../shared/errors.js';

const emptyConnections = '{"version":1,"connections":[]}';

let root: string;
let dataDir: string;
let host: Host;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-check-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(root, 'data-'));
  // An existing (empty) connections file: no demo is generated.
  await fs.writeFile(path.join(dataDir, 'connections.json'), emptyConnections);
  host = await createHost({ dataDir });
});
afterEach(async () => {
  await host.close();
});

async function makeDatabase(name: string): Promise<string> {
  const file = path.join(root, name);
  const db = new Database(file);
  db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a'), ('b');");
  db.close();
  return file;
}

interface Snapshot {
  bytes: Buffer | undefined;
  mtimeMs: number | undefined;
  siblings: string[];
}

async function snapshot(file: string): Promise<Snapshot> {
  const stat = await fs.stat(file).catch(() => undefined);
  const isFile = stat?.isFile() ?? false;
  const siblings = (await fs.readdir(path.dirname(file))).filter((n) =>
    n.startsWith(path.basename(file)),
  );
  return {
    bytes: isFile ? await fs.readFile(file) : undefined,
    mtimeMs: stat?.mtimeMs,
    siblings: siblings.sort(),
  };
}

/** Adds `file` expecting `code`; checks nothing on disk changed. Answers the error message. */
async function expectRefused(file: string, code: ErrorCode, readOnly = false): Promise<string> {
  const before = await snapshot(file);
  const error = await host.call('addSqliteConnection', { path: file, readOnly }).then(
    () => undefined,
    (e: unknown) => e as { code: ErrorCode; message: string; hint?: string },
  );
  expect(error, `adding ${file} should fail`).toBeDefined();
  expect(error!.code).toBe(code);
  expect(error!.hint).toBeTruthy();
  expect(await fs.readFile(path.join(dataDir, 'connections.json'), 'utf8')).toBe(emptyConnections);
  expect(await host.call('listConnections', {})).toEqual([]);
  const after = await snapshot(file);
  expect(after).toEqual(before);
  expect(after.siblings.filter((n) => /-(journal|wal|shm)$/.test(n))).toEqual([]);
  return error!.message;
}

describe('addSqliteConnection refuses', () => {
  it('a missing file (not-found)', async () => {
    const file = path.join(root, 'missing.db');
    expect(await expectRefused(file, 'not-found')).toContain(file);
    await expect(fs.stat(file)).rejects.toThrow();
  });

  it('a text file (not-a-database)', async () => {
    const file = path.join(root, 'notes.db');
    await fs.writeFile(file, 'just some notes\n'.repeat(10));
    expect(await expectRefused(file, 'not-a-database')).toMatch(
      /notes\.db is not a SQLite database/,
    );
  });

  it('a database another program holds locked (locked)', async () => {
    const file = await makeDatabase('locked.db');
    const locker = new Database(file);
    locker.exec("BEGIN EXCLUSIVE; INSERT INTO t VALUES ('c');");
    const before = await snapshot(file);
    try {
      const message = await host.call('addSqliteConnection', { path: file }).then(
        () => 'accepted',
        (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
      );
      expect(message).toMatch(/^locked: .*locked by another program/);
      expect(await fs.readFile(path.join(dataDir, 'connections.json'), 'utf8')).toBe(
        emptyConnections,
      );
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    const after = await snapshot(file);
    expect(after.bytes).toEqual(before.bytes);
    expect(after.siblings).toEqual(['locked.db']);
  });

  it('a directory (invalid-input)', async () => {
    const folder = path.join(root, 'folder.db');
    await fs.mkdir(folder);
    expect(await expectRefused(folder, 'invalid-input')).toMatch(/is a folder/);
  });

  it('an empty path (invalid-input, from the contract)', async () => {
    await expect(host.call('addSqliteConnection', { path: '' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});

describe('read-only files', () => {
  let file: string;
  let immutable = false;

  beforeAll(async () => {
    file = await makeDatabase('immutable.db');
    // We run as root, so chmod alone cannot make a file read-only: the immutable flag can.
    try {
      execFileSync('chattr', ['+i', file], { stdio: 'pipe' });
      immutable = true;
    } catch (error) {
      console.warn(
        `SKIPPING read-only cases: chattr +i failed here (${String(error).split('\n')[0]})`,
      );
    }
  });
  afterAll(() => {
    if (immutable) execFileSync('chattr', ['-i', file]);
  });

  it('are refused as writable connections (read-only)', async (context) => {
    if (!immutable) context.skip();
    expect(await expectRefused(file, 'read-only')).toContain(file);
  });

  it('are accepted as read-only connections, and stay untouched', async (context) => {
    if (!immutable) context.skip();
    const before = await snapshot(file);
    const info = await host.call('addSqliteConnection', { path: file, readOnly: true });
    expect(info).toMatchObject({ name: 'immutable', readOnly: true, target: file });
    const ref = { connectionId: info.id, path: ['t'] };
    expect(await host.call('countRows', { ref, view: {} })).toEqual({ count: 2 });
    expect(await snapshot(file)).toEqual(before);
  });
});

it('adds a good file, saving it with its name and absolute path', async () => {
  const file = await makeDatabase('shop.sqlite');
  const relative = path.relative(process.cwd(), file);
  const info = await host.call('addSqliteConnection', { path: relative });
  expect(info).toMatchObject({ name: 'shop', kind: 'sqlite', target: file, readOnly: false });
  const saved = JSON.parse(await fs.readFile(path.join(dataDir, 'connections.json'), 'utf8'));
  expect(saved.connections).toHaveLength(1);
  expect(saved.connections[0]).toMatchObject({ id: info.id, name: 'shop', config: { path: file } });
  expect((await host.call('listConnections', {})).map((c) => c.id)).toEqual([info.id]);
  // A second connection to the same file gets a name of its own.
  expect((await host.call('addSqliteConnection', { path: file })).name).toBe('shop (2)');
});
