/**
 * `strata ingest` as a user runs it: a child process on a data directory holding one writable
 * SQLite connection. Exit status 0 loaded, 1 rejected or failed, 2 bad usage; one-line errors;
 * the JSON summary on stdout with --json.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrata, type CliRun } from '../../support/cli.js';
import { connectionsFileName } from '../../../electron/connections/connection-store.js';
import { createHost } from '../../../electron/host.js';

let dir: string;
let db: string;

function strata(...args: string[]): Promise<CliRun> {
  return runStrata(dir, args);
}

function file(name: string, text: string): string {
  const where = path.join(dir, name);
  writeFileSync(where, text);
  return where;
}

const tables = () =>
  new Database(db, { readonly: true })
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all();

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'strata-ingest-cli-'));
  writeFileSync(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
  db = path.join(dir, 'shop.db');
  new Database(db).close();
  const host = await createHost({ dataDir: dir });
  await host.call('addSqliteConnection', { path: db, name: 'shop' });
  await host.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata ingest', () => {
  it('loads a file, says so on stderr, and prints the summary as JSON when asked', async () => {
    const csv = file('orders.csv', 'id,amount,day\n1,9.99,2024-01-01\n2,12.50,2024-01-02\n');
    const { code, stdout, stderr } = await strata(
      'ingest',
      csv,
      'shop#main.orders',
      '--key',
      'id',
      '--json',
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/^strata: loaded 2 rows into main\.orders in \d+\.\d s\n$/);
    const json = JSON.parse(stdout) as { state: string; summary: { rowsLoaded: number } };
    expect(json).toMatchObject({ state: 'loaded', summary: { rowsLoaded: 2, rowsRejected: 0 } });
    expect(
      new Database(db, { readonly: true }).prepare('SELECT count(*) FROM orders').pluck().get(),
    ).toBe(2);
  });

  it('rejects a file that breaks the rules: exit 1, the violations by line, nothing written', async () => {
    const csv = file('bad.csv', 'id,qty\n1,5\n2,lots\n3,-1\n');
    const rules = file(
      'rules.json',
      JSON.stringify({ columns: { qty: { type: 'integer', min: 0 } } }),
    );
    const { code, stderr } = await strata('ingest', csv, 'shop#main.bad', '--rules', rules);
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      'strata: line 3, qty: “lots” is not an integer',
      'strata: line 4, qty: “-1” is below the minimum 0',
      'strata: rejected: 2 of 3 rows break the rules; nothing was written',
      '',
    ]);
    expect(tables()).not.toContain('bad');
  });

  it('loads the good rows with --rejects and puts the others in the rejects file', async () => {
    const csv = file('some.csv', 'id,qty\n1,5\n2,lots\n');
    const rules = file('rules2.json', JSON.stringify({ columns: { qty: { type: 'integer' } } }));
    const rejects = path.join(dir, 'some.rejects.csv');
    const { code, stderr } = await strata(
      'ingest',
      csv,
      'shop#main.some',
      '--rules',
      rules,
      '--rejects',
      rejects,
    );
    expect(code).toBe(0);
    expect(stderr).toContain(`loaded 1 rows into main.some`);
    expect(stderr).toContain(`1 rejected (in ${rejects})`);
    expect(readFileSync(rejects, 'utf8')).toBe(
      'id,qty,_line,_error\n2,lots,3,qty: “lots” is not an integer\n',
    );
  });

  it('checks without writing with --dry-run', async () => {
    const csv = file('dry.csv', 'a;b\n1;x\n');
    const { code, stderr } = await strata(
      'ingest',
      csv,
      'shop#main.dry',
      '--dry-run',
      '--delimiter',
      ';',
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/checked 1 rows in .* all good \(nothing written\)/);
    expect(tables()).not.toContain('dry');
  });

  it('appends, and refuses to create what exists', async () => {
    const csv = file('more.csv', 'id,amount,day\n3,1.00,2024-01-03\n');
    expect((await strata('ingest', csv, 'shop#main.orders', '--mode', 'append')).code).toBe(0);
    const again = await strata('ingest', csv, 'shop#main.orders');
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/^strata: .*orders.*exists/i);
  });

  it('says what is wrong with one line: exit 2 for usage, 1 for a missing file', async () => {
    const csv = file('x.csv', 'a\n1\n');
    const usage = [
      ['ingest', csv],
      ['ingest', csv, 'shop#main.x', '--mode', 'sideways'],
      ['ingest', csv, 'shop#main.x', '--encoding', 'ebcdic'],
      ['ingest', csv, 'shop#main.x', '--delimiter', ',,'],
      [
        'ingest',
        csv,
        'shop#main.x',
        '--rules',
        file('broken.json', '{"columns": {"a": {"min": []}}}'),
      ],
      ['ingest', csv, 'shop#main.x', '--bogus'],
    ];
    for (const args of usage) {
      const { code, stderr } = await strata(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const missing = await strata('ingest', path.join(dir, 'nope.csv'), 'shop#main.x');
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^strata: No such file: .*nope\.csv\n$/),
    });
    expect(existsSync(path.join(dir, 'nope.csv'))).toBe(false);
  });
});
