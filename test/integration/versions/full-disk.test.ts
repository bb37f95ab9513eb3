/**
 * A full disk: the versions store on a 2 MiB tmpfs, a snapshot that needs more. The snapshot
 * fails with a clear error and the store is left exactly as it was (same files, same bytes).
 * Needs root to mount; skipped, loudly, where mounting is not allowed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesTable, fixtureIn, snapshot, type Fixture } from './support.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-versions-full-'));
const versions = path.join(dir, 'versions');
mkdirSync(versions);
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', versions], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  console.warn(
    `SKIPPED full-disk test: cannot mount a tmpfs (${(error as Error).message.split('\n')[0]})`,
  );
}

let f: Fixture;

beforeAll(async () => {
  if (!mounted) return;
  f = await fixtureIn(dir, 3_000);
  createSalesTable(path.join(dir, 'big.db'), 200_000, 'big');
});
afterAll(async () => {
  await f?.host.close();
  if (mounted) execFileSync('umount', [versions]);
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under the store with a hash of its bytes. */
function listing(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else
        out.push(
          `${path.relative(root, p)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`,
        );
    }
  };
  walk(root);
  return out;
}

describe.skipIf(!mounted)('a full disk', () => {
  it('fails the snapshot clearly and leaves the store as it was', async () => {
    const small = await snapshot(f.host, f.sales, 'fits');
    expect(small.rows).toBe(3_000);
    const before = listing(versions);
    const { id } = await f.host.call('addSqliteConnection', {
      path: path.join(dir, 'big.db'),
      name: 'big',
    });
    await expect(
      snapshot(f.host, { connectionId: id, path: ['main', 'big'] }, 'too big'),
    ).rejects.toThrow(/disk holding the versions store is full/);
    expect(listing(versions)).toEqual(before);
    expect((await f.host.call('verifyStore', {})).ok).toBe(true);
    expect((await f.host.call('listSnapshots', {})).map((s) => s.id)).toEqual([small.id]);
    // And the store works again once there is room.
    const db = new Database(path.join(dir, 'big.db'));
    db.exec('DELETE FROM big WHERE id > 20000');
    db.close();
    expect((await snapshot(f.host, { connectionId: id, path: ['main', 'big'] })).rows).toBe(20_000);
  });
});
