/**
 * `strata diff` from source on a data directory with a SQLite `sales` table: exit status 0 when
 * equal, 1 when different, 2 on error (as diff(1)); human, JSON and exported output.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrata, type CliRun } from '../../support/cli.js';
import { fixtureIn, snapshot, type Fixture } from '../versions/support.js';

let f: Fixture;
let before: string;
let after: string;

function strata(...args: string[]): Promise<CliRun> {
  return runStrata(f.dir, args);
}

beforeAll(async () => {
  f = await fixtureIn(await fs.mkdtemp(path.join(os.tmpdir(), 'strata-diff-cli-')), 3_000);
  before = (await snapshot(f.host, f.sales)).id;
  const db = new Database(f.file);
  db.exec(`UPDATE sales SET note = 'changed' WHERE id = 7;
    DELETE FROM sales WHERE id = 8;
    INSERT INTO sales VALUES (3001, '2024-01-01', 1, 2, 3.5, 'EUR', 1, 'new');`);
  db.close();
  after = (await snapshot(f.host, f.sales)).id;
  await f.host.close();
}, 60_000);
afterAll(async () => fs.rm(f.dir, { recursive: true, force: true }));

describe('strata diff', () => {
  it('exits 1 and says what changed when the sides differ', async () => {
    const run = await strata('diff', before.slice(0, 8), after);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('key: id');
    expect(run.stdout).toContain('schema: the same');
    expect(run.stdout).toMatch(/rows: 1 added, 1 removed, 1 changed, 2,998 unchanged \(chunks/);
    expect(run.stdout).toContain('~ id=7  note: NULL → "changed"');
    expect(run.stdout).toMatch(/^- id=8 /m);
    expect(run.stdout).toMatch(/^\+ id=3001 .*note="new"/m);
  });

  it('exits 0 when they are the same, snapshot against the live table', async () => {
    const run = await strata('diff', after, 'shop#sales', '--summary');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/rows: 0 added, 0 removed, 0 changed, 3,000 unchanged/);
  });

  it('prints JSON and exports the changes', async () => {
    const file = path.join(f.dir, 'changes.jsonl');
    const run = await strata(
      'diff',
      before,
      after,
      '--json',
      '--export',
      file,
      '--format',
      'jsonl',
    );
    expect(run.code, run.stderr).toBe(1);
    const json = JSON.parse(run.stdout) as { counts: unknown; changes: unknown[] };
    expect(json.counts).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 2_998 });
    expect(json.changes).toHaveLength(3);
    const lines = (await fs.readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { change: string });
    expect(lines.map((l) => l.change)).toEqual(['changed', 'removed', 'added']);
  });

  it('exits 2 on an error and on bad usage', async () => {
    const missing = await strata('diff', 'ffffffffffff', after);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^strata: No snapshot “ffffffffffff” — Run `strata versions`/);
    const badKey = await strata('diff', before, after, '--key', 'nope');
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/has no column “nope”/);
    expect((await strata('diff', before)).code).toBe(2);
    expect((await strata('diff', before, after, '--tolerance', 'x')).code).toBe(2);
  });
});
