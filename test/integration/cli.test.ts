/**
 * The `strata` command as a user runs it: a child process on a data directory of its own. The
 * first command generates the demo (~4 s), so the data directory is shared across this file.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrata, type CliRun } from '../support/cli.js';

let dataDir: string;

function strata(...args: string[]): Promise<CliRun> {
  return runStrata(dataDir, args);
}

function strataIn(dir: string, ...args: string[]): Promise<CliRun> {
  return runStrata(dir, args);
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-cli-'));
  const first = await strata('ls');
  expect(first.code).toBe(0);
  // Not a terminal: a few progress lines, no carriage-return redraws.
  expect(first.stderr).toMatch(/generating demo data.*%/);
  expect(first.stderr).toContain('demo data ready');
  expect(first.stderr).not.toContain('\r');
  expect(first.stderr.trim().split('\n').length).toBeLessThanOrEqual(8);
});

afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('strata ls', () => {
  it('lists saved connections as an aligned table, and is quiet once the demo exists', async () => {
    const { code, stdout, stderr } = await strata('ls');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const [header, demo, ...rest] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME\s+KIND\s+TARGET\s+STATUS$/);
    expect(demo).toMatch(/^Demo \(SQLite\)\s+sqlite\s+\S+demo\.sqlite\s+ready$/);
    expect(demo!.indexOf('sqlite ')).toBe(header!.indexOf('KIND'));
    expect(rest).toEqual([]);
  });

  it('lists a connection’s datasets with kinds and row counts', async () => {
    const { code, stdout } = await strata('ls', 'Demo');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^main\.sales\s+table\s+1,000,000$/m);
    expect(stdout).toMatch(/^main\.customers\s+table\s+10,000$/m);
    expect(stdout).toMatch(/^main\.sales_by_currency\s+view$/m);
    // The full name works as well as the unique prefix.
    expect((await strata('ls', 'Demo (SQLite)')).stdout).toBe(stdout);
  });

  it('lists a dataset’s columns', async () => {
    const { code, stdout } = await strata('ls', 'Demo#sales');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^COLUMN\s+TYPE\s+NATIVE TYPE\s+NULLABLE\s+KEY$/m);
    expect(stdout).toMatch(/^id\s+integer\s+INTEGER\s+no\s+1$/m);
    expect(stdout).toMatch(/^amount\s+decimal\s+DECIMAL\(10,2\)\s+no$/m);
    expect(stdout).toMatch(/^note\s+text\s+TEXT\s+yes$/m);
  });
});

describe('strata head', () => {
  it('prints the first rows as a table', async () => {
    const { code, stdout } = await strata('head', 'Demo#sales', '-n', '3');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^id\s+date\s+customer_id\s+product_id\s+amount\s+currency\s+paid\s+note$/,
    );
    expect(lines[1]).toMatch(
      /^ 1\s+\d{4}-\d\d-\d\d\s+\d+\s+\d+\s+[\d.]+\s+[A-Z]{3}\s+(true|false)\s+NULL$/,
    );
    expect(lines[3]).toMatch(/^ 3 /);
  });

  it('defaults to ten rows', async () => {
    const table = await strata('head', '"Demo (SQLite)"#main.customers');
    expect(table.code).toBe(0);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(11);
  });

  it('prints JSON Lines with faithful values', async () => {
    const { code, stdout } = await strata('head', 'Demo#main.products', '-n', '4', '--json');
    expect(code).toBe(0);
    const rows = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ id: 1, sku: 'SKU-00001', active: true });
    expect(Object.keys(rows[0])).toEqual([
      'id',
      'sku',
      'name',
      'category',
      'unit_price',
      'active',
      'thumbnail',
    ]);
    const blob = rows.find((r) => r.thumbnail !== null)?.thumbnail;
    expect(blob).toEqual({ $blob: 48, hex: expect.stringMatching(/^[0-9a-f]{96}$/) });
  });

  it('prints long text whole in JSON, cut in a table', async () => {
    // The demo's long notes are ~2,300 characters: cut in a page, complete in JSON.
    const db = new Database(path.join(dataDir, 'demo.sqlite'), { readonly: true });
    const id = db
      .prepare('SELECT id FROM sales WHERE length(note) > 1000 ORDER BY id LIMIT 1')
      .pluck()
      .get() as number;
    const note = db.prepare('SELECT note FROM sales WHERE id = ?').pluck().get(id) as string;
    db.close();
    expect(id).toBeLessThan(20_000);
    const { stdout } = await strata('head', 'Demo#sales', '-n', String(id), '--json');
    const last = JSON.parse(stdout.trimEnd().split('\n').at(-1)!);
    expect(last.id).toBe(id);
    expect(last.note).toBe(note);
    // As a table (piped: columns capped at 40 characters), the same note is cut with an ellipsis.
    const table = await strata('head', 'Demo#sales', '-n', String(id));
    const line = table.stdout.trimEnd().split('\n').at(-1)!;
    expect(line).toMatch(new RegExp(`^\\s*${id}\\s`));
    expect(line.endsWith(`${note.slice(0, 39)}…`)).toBe(true);
  });
});

describe('strata count', () => {
  it('prints the exact count', async () => {
    expect(await strata('count', 'Demo#sales')).toEqual({
      code: 0,
      stdout: '1000000\n',
      stderr: '',
    });
  });

  it('reads a file named by a sqlite: URL, without saving it', async () => {
    const file = path.join(dataDir, 'shop.db');
    const db = new Database(file);
    db.exec(
      'CREATE TABLE orders (id INTEGER PRIMARY KEY); INSERT INTO orders VALUES (1), (2), (3);',
    );
    db.close();
    expect((await strata('count', `sqlite:${file}#main.orders`)).stdout).toBe('3\n');
    expect((await strata('count', `sqlite:${file}#orders`)).stdout).toBe('3\n');
    expect((await strata('ls', `sqlite:${file}`)).stdout).toMatch(/^main\.orders\s+table\s+3$/m);
    expect((await strata('ls')).stdout).not.toContain('shop.db');
  });
});

describe('errors', () => {
  const oneLine = (run: CliRun) => {
    expect(run.stdout).toBe('');
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^strata: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('unknown connection: exit 1, one line with a hint', async () => {
    const run = await strata('count', 'Nope#sales');
    expect(run.code).toBe(1);
    oneLine(run);
    expect(run.stderr).toMatch(/No connection named “Nope”.* — Give a saved connection/);
  });

  it('missing dataset: exit 1, one line', async () => {
    const run = await strata('head', 'Demo#main.nope');
    expect(run.code).toBe(1);
    oneLine(run);
    expect(run.stderr).toMatch(/No table or view “main\.nope”/);
  });

  it('a file that is not a database: exit 1, one line', async () => {
    const file = path.join(dataDir, 'notes.txt');
    await fs.writeFile(file, 'hello\n'.repeat(100));
    const run = await strata('count', `sqlite:${file}#t`);
    expect(run.code).toBe(1);
    oneLine(run);
    expect(run.stderr).toMatch(/not a SQLite database/);
  });

  it.each([
    [['frobnicate'], /unknown command “frobnicate”/],
    [['head'], /missing REF/],
    [['count', 'Demo'], /names no dataset/],
    [['head', 'Demo#sales', '--bogus'], /Unknown option '--bogus'/],
    [['head', 'Demo#sales', '-n', 'ten'], /whole number/],
    [['ls', 'a', 'b'], /unexpected “b”/],
    [[], /no command/],
  ])('bad usage %j: exit 2, one line', async (args, message) => {
    const run = await strata(...args);
    expect(run.code).toBe(2);
    oneLine(run);
    expect(run.stderr).toMatch(message);
  });
});

describe('an interrupted first start', () => {
  it('regenerates the demo file its connection is missing', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-cli-resume-'));
    try {
      const file = path.join(dir, 'demo.sqlite');
      const saved = {
        version: 1,
        connections: [
          {
            id: 'demo-id',
            name: 'Demo (SQLite)',
            readOnly: false,
            createdAt: new Date().toISOString(),
            config: { kind: 'sqlite', path: file },
          },
        ],
      };
      await fs.writeFile(path.join(dir, 'connections.json'), JSON.stringify(saved));
      await fs.writeFile(`${file}.partial`, 'half a demo');
      const run = await strataIn(dir, 'count', 'Demo#customers');
      expect(run).toMatchObject({ code: 0, stdout: '10000\n' });
      expect(run.stderr).toContain('demo data ready');
      expect((await fs.readdir(dir)).sort()).toEqual(['connections.json', 'demo.sqlite']);
      expect(JSON.parse(await fs.readFile(path.join(dir, 'connections.json'), 'utf8'))).toEqual(
        saved,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('help and version', () => {
  it('prints help for strata and for each command', async () => {
    expect((await strata('--help')).stdout).toMatch(/Commands:[\s\S]*head REF/);
    const head = await strata('head', '--help');
    expect(head.code).toBe(0);
    expect(head.stdout).toMatch(/^Usage: strata head/);
    expect((await strata('help', 'count')).stdout).toMatch(/^Usage: strata count/);
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(
      await fs.readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
    ) as { version: string };
    expect(await strata('--version')).toEqual({
      code: 0,
      stdout: `strata ${version}\n`,
      stderr: '',
    });
  });
});
