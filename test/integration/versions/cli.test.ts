/**
 * The versioning commands of the `strata` CLI, run from source on a data directory holding a
 * saved SQLite connection: what they print, their one-line errors and their exit codes.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeLayout } from '../../../electron/versions/layout.js';
import { readPackIndexes } from '../../../electron/versions/packs.js';
import { runStrata, type CliRun } from '../../support/cli.js';
import { flipObjectByte } from './objects.js';
import { fixtureIn, type Fixture } from './support.js';

let f: Fixture;

function strata(...args: string[]): Promise<CliRun> {
  return runStrata(f.dir, args);
}

beforeAll(async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-versions-cli-'));
  f = await fixtureIn(dir, 5_000);
  // The CLI opens the data directory itself: this host only set it up.
  await f.host.close();
});
afterAll(async () => fs.rm(f.dir, { recursive: true, force: true }));

describe('strata versioning commands', () => {
  it('snapshot, versions, restore, verify, storage, export, import, delete-snapshot, gc', async () => {
    const first = await strata('snapshot', 'shop#sales', '-m', 'first');
    expect(first.code, first.stderr).toBe(0);
    const id = /^([0-9a-f]{12}) {2}5,000 rows/.exec(first.stdout)?.[1];
    expect(id, first.stdout).toBeDefined();
    const second = await strata('snapshot', 'shop#sales', '-m', 'again', '--json');
    expect(JSON.parse(second.stdout)).toMatchObject({ rows: 5_000, newChunks: 0, parent: id });

    const list = await strata('versions', 'shop#sales');
    expect(list.stdout).toMatch(/^ID\s+CREATED\s+DATASET\s+ROWS\s+SIZE\s+NEW\s+MESSAGE/);
    expect(list.stdout).toContain(`${id}  `);
    // `sales` is the tree's `main.sales`: one dataset, one history.
    expect(list.stdout).toContain('shop#main.sales');
    expect(list.stdout.trim().split('\n')).toHaveLength(3);

    const restored = await strata('restore', id!.slice(0, 6), 'shop#copy');
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/restored .* into copy: 5,000 rows/);
    expect((await strata('count', 'shop#copy')).stdout.trim()).toBe('5000');

    const verify = await strata('verify');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok: \d+ objects .* and 2 snapshots checked/);
    expect((await strata('storage')).stdout).toMatch(/shop#main\.sales\s+2\s/);

    const file = path.join(f.dir, 'first.strata');
    expect((await strata('export', id!, file)).code).toBe(0);
    const deleted = await strata('delete-snapshot', id!);
    expect(deleted.stdout).toMatch(new RegExp(`deleted ${id}; freed 0 B`));
    expect((await strata('import', file)).stdout).toMatch(new RegExp(`imported ${id}`));
    expect((await strata('gc')).stdout).toMatch(/^freed 0 B: 0 objects removed/);
  });

  it('says what went wrong in one line, with exit codes 1 and 2', async () => {
    const missing = await strata('restore', 'ffffffffffff', 'shop#x');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^strata: No snapshot “ffffffffffff” — Run `strata versions`/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const usage = await strata('restore', 'x', 'shop#x', '--mode', 'append');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--mode is create or replace/);
    const badKey = await strata('snapshot', 'shop#sales', '--key', 'nope');
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/no column “nope”/);
  });

  it('verify exits 1 and names a damaged object and the snapshots that need it', async () => {
    const [index] = await readPackIndexes(storeLayout(f.dir));
    const hash = [...index!.entries.keys()][0]!;
    await flipObjectByte(f.dir, hash);
    const verify = await strata('verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      new RegExp(`corrupted-object ${hash}: .* needed by [0-9a-f]{12}`),
    );
  });
});
