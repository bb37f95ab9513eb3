/**
 * Comparing two live 1M-row tables with 100 differences (80 changed, 10 added, 10 removed rows)
 * by server-side range checksums (diff/range-bisect.ts) and then fetching only the rows of the
 * ranges that differ, against, in the same run and alternating:
 * - `SELECT count(*)` on the same two tables (data-diff's claim: within an order of magnitude);
 * - a plain approach: `psql \copy … TO` CSV of both tables, `sort` both, `diff`.
 * Both sides are read at the same time in every approach (two connections, two processes).
 * Then PostgreSQL against MariaDB holding the same rows, against count(*) on both.
 * Each compare counts the differing rows it found and fails the run unless it finds exactly 100.
 * Run: npm run bench -- diff-live (or npx tsx test/bench/diff-live.bench.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Backend } from '../../electron/backends/backend.js';
import { mysqlFactory } from '../../electron/backends/mysql/mysql-backend.js';
import { connectionOptions } from '../../electron/backends/mysql/mysql-engine.js';
import { postgresFactory } from '../../electron/backends/postgres/postgres-backend.js';
import type { KeyRange } from '../../electron/backends/scan.js';
import { differingRanges, type BisectOptions } from '../../electron/diff/range-bisect.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlAvailable,
  postgresAvailable,
} from '../support/servers.js';
import { median, report, round, type BenchRow } from './support/stats.js';

const rowCount = 1_000_000;
const rounds = 3;
const columns = ['id', 'customer', 'amount', 'day', 'paid', 'note'];
const changed = Array.from({ length: 80 }, (_, i) => 1 + ((i * 7919 * 13) % rowCount));
const removed = Array.from({ length: 10 }, (_, i) => 5 + ((i * 104_729) % rowCount));
/** Ids missing from `a` (every 99,991st), present in `b`: inserts scattered through the keys. */
const added = Array.from({ length: 10 }, (_, i) => (i + 1) * 99_991);
const expectedDifferences = changed.length + removed.length + added.length;

const configs: Record<string, BisectOptions> = {
  'defaults: 1024 segments, ×16, ≤1k rows, PostgreSQL hash': {},
  'defaults but md5-60 (the cross-engine hash)': { hash: 'md5-60' },
  'data-diff’s shape: 32 segments, ×16, ≤10k rows, PostgreSQL hash': {
    segments: 32,
    minRows: 10_000,
  },
};
const defaults = Object.keys(configs)[0]!;

const skip = (await postgresAvailable()) ?? (await mysqlAvailable());
if (skip) {
  console.warn(`⚠ SKIPPED diff-live benchmark: ${skip}`);
} else {
  await run();
}

async function run(): Promise<void> {
  const pgDb = await createPostgresDatabase();
  const myDb = await createMysqlDatabase();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-diff-live-'));
  const backends: Backend[] = [];
  try {
    const setupStart = performance.now();
    await pgDb.exec(postgresSetup());
    // Apart: VACUUM cannot run in the multi-statement transaction above. It sets the visibility
    // map, so count(*) can answer from the primary key's index, as on a settled production table.
    await pgDb.exec('VACUUM ANALYZE a');
    await pgDb.exec('VACUUM ANALYZE b');
    await myDb.exec(mysqlSetup());
    console.log(`setup: ${round((performance.now() - setupStart) / 1000)} s`);
    const postgres = await postgresFactory.open(pgDb.config);
    const mariadb = await mysqlFactory.open(myDb.config);
    backends.push(postgres, mariadb);
    const pgClients = [new pg.Client(pgDb.config), new pg.Client(pgDb.config)];
    // Dropping the database at the end ends these connections; that is no error of the run.
    for (const client of pgClients) client.on('error', () => undefined);
    await Promise.all(pgClients.map((c) => c.connect()));
    const myConnection = await mysql.createConnection(connectionOptions(myDb.config));

    const times: Record<string, number[]> = { count: [], plain: [] };
    const bisectTimes: number[] = [];
    const rangeCounts: number[] = [];
    for (const name of Object.keys(configs)) times[name] = [];
    for (let r = 0; r < rounds; r++) {
      times.count!.push(await timed(() => countBoth(pgClients, 'a', 'b')));
      for (const [name, options] of Object.entries(configs)) {
        times[name]!.push(
          await timed(async () => {
            const start = performance.now();
            const ranges = await differingRanges(
              side(postgres, 'a'),
              side(postgres, 'b'),
              ['id'],
              columns,
              options,
            );
            if (name === defaults) {
              bisectTimes.push(performance.now() - start);
              rangeCounts.push(ranges.length);
            }
            const found = await fetchAndCompare(pgClients, ranges);
            check(name, found);
          }),
        );
      }
      times.plain!.push(await timed(async () => check('plain', await plainDiff(pgDb.url, dir))));
      console.log(
        `round ${r + 1}: ${Object.entries(times)
          .map(([k, v]) => `${k} ${round(v.at(-1)!)} ms`)
          .join(', ')}`,
      );
    }

    const crossCount: number[] = [];
    const cross: number[] = [];
    let crossRanges = 0;
    for (let r = 0; r < rounds; r++) {
      crossCount.push(
        await timed(() =>
          Promise.all([
            pgClients[0]!.query('SELECT count(*) FROM a'),
            myConnection.query('SELECT count(*) FROM b'),
          ]),
        ),
      );
      cross.push(
        await timed(async () => {
          const ranges = await differingRanges(
            side(postgres, 'a'),
            side(mariadb, 'b'),
            ['id'],
            columns,
            configs[defaults],
          );
          crossRanges = ranges.length;
        }),
      );
    }
    await Promise.all(pgClients.map((c) => c.end()));
    await myConnection.end();

    const count = median(times.count!);
    const plain = median(times.plain!);
    const rows: BenchRow[] = [
      { metric: 'count(*) on both tables, PostgreSQL (median)', value: round(count), unit: 'ms' },
      { metric: 'sort + diff of \\copy CSV exports (median)', value: round(plain), unit: 'ms' },
    ];
    rows.push({
      metric: '  of which differingRanges, defaults (median)',
      value: round(median(bisectTimes)),
      unit: 'ms',
      note: `${median(rangeCounts)} ranges answered; the rest is fetching their rows from both tables`,
    });
    for (const name of Object.keys(configs)) {
      const ours = median(times[name]!);
      rows.push(
        { metric: `range checksums + fetch, ${name} (median)`, value: round(ours), unit: 'ms' },
        {
          metric: `  ÷ count(*)`,
          value: round(ours / count),
          unit: '×',
          aim: '≤ 10× (data-diff)',
          met: ours / count <= 10,
        },
        {
          metric: `  ÷ sort + diff`,
          value: round(ours / plain, 2),
          unit: '×',
          aim: '< 1',
          met: ours < plain,
        },
      );
    }
    const crossMedian = median(cross);
    const crossCountMedian = median(crossCount);
    rows.push(
      {
        metric: 'count(*), PostgreSQL a + MariaDB b (median)',
        value: round(crossCountMedian),
        unit: 'ms',
      },
      {
        metric: 'differingRanges, PostgreSQL against MariaDB, defaults (md5-60) (median)',
        value: round(crossMedian),
        unit: 'ms',
        note: `${crossRanges} differing ranges (90 expected differences: MariaDB b has no inserts)`,
      },
      { metric: '  ÷ count(*)', value: round(crossMedian / crossCountMedian), unit: '×' },
      {
        metric: 'machine load average (1 min) at the end',
        value: round(os.loadavg()[0]!),
        unit: '',
      },
    );
    report('diff-live', rows);
  } finally {
    await Promise.all(backends.map((b) => b.close()));
    await pgDb.drop();
    await myDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function side(backend: Backend, table: string) {
  return { backend, path: [table] };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function check(approach: string, found: number): void {
  if (found !== expectedDifferences) {
    throw new Error(`${approach} found ${found} differing rows, not ${expectedDifferences}`);
  }
}

function generated(g: string): string {
  return `${g}, 'customer ' || (${g} % 50000), ((${g}::int8 * 104729) % 10000000) / 100.0,
    DATE '2020-01-01' + ${g} % 1460, ${g} % 4 <> 0,
    CASE WHEN ${g} % 5 = 0 THEN NULL ELSE 'n' || (${g} % 1000) END`;
}

function postgresSetup(): string {
  return `
    CREATE TABLE a (id int PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), day date,
      paid boolean, note text);
    INSERT INTO a SELECT ${generated('g')} FROM generate_series(1, ${rowCount}) g
      WHERE g % 99991 <> 0;
    CREATE TABLE b (LIKE a INCLUDING ALL);
    INSERT INTO b SELECT * FROM a;
    INSERT INTO b SELECT ${generated('g')} FROM unnest(ARRAY[${added.join(',')}]) g;
    UPDATE b SET amount = amount + 1 WHERE id IN (${changed.join(',')});
    DELETE FROM b WHERE id IN (${removed.join(',')});`;
}

/** MariaDB's `b` holds PostgreSQL's `a` but for the changed and removed rows. */
function mysqlSetup(): string {
  return `
    CREATE TABLE b (id int PRIMARY KEY, customer text NOT NULL, amount decimal(12,2), day date,
      paid boolean, note text);
    INSERT INTO b SELECT seq, CONCAT('customer ', seq % 50000), ((seq * 104729) % 10000000) / 100.0,
      DATE '2020-01-01' + INTERVAL (seq % 1460) DAY, seq % 4 <> 0,
      CASE WHEN seq % 5 = 0 THEN NULL ELSE CONCAT('n', seq % 1000) END
      FROM seq_1_to_${rowCount} WHERE seq % 99991 <> 0;
    UPDATE b SET amount = amount + 1 WHERE id IN (${changed.join(',')});
    DELETE FROM b WHERE id IN (${removed.join(',')});`;
}

async function countBoth(clients: pg.Client[], x: string, y: string): Promise<void> {
  await Promise.all([
    clients[0]!.query(`SELECT count(*) FROM ${x}`),
    clients[1]!.query(`SELECT count(*) FROM ${y}`),
  ]);
}

/** Reads both tables' rows in the ranges (both at once) and counts the keys whose rows differ. */
async function fetchAndCompare(clients: pg.Client[], ranges: readonly KeyRange[]): Promise<number> {
  // One query per side: an index range scan per range (LATERAL, so the planner cannot pick a
  // join over the whole table), an open end being the int8 limit; not a round trip per range.
  const from = ranges.map((r) => String(r.from?.[0] ?? '-9223372036854775808'));
  const to = ranges.map((r) => String(r.to?.[0] ?? '9223372036854775807'));
  const read = async (client: pg.Client, table: string) => {
    const rows = new Map<number, string>();
    const result = await client.query<unknown[]>({
      text: `SELECT t.* FROM unnest($1::int8[], $2::int8[]) AS r(lo, hi)
             CROSS JOIN LATERAL (SELECT * FROM ${table} WHERE id >= r.lo AND id < r.hi) t`,
      values: [from, to],
      rowMode: 'array',
    });
    for (const row of result.rows) rows.set(Number(row[0]), JSON.stringify(row));
    return rows;
  };
  const [left, right] = await Promise.all([read(clients[0]!, 'a'), read(clients[1]!, 'b')]);
  let differing = 0;
  for (const [id, row] of left) if (right.get(id) !== row) differing++;
  for (const id of right.keys()) if (!left.has(id)) differing++;
  return differing;
}

function sh(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    // diff exits 1 when the files differ, which is the expected outcome here.
    child.on('close', (code) =>
      code === 0 || (command === 'diff' && code === 1)
        ? resolve(out)
        : reject(new Error(`${command} exited ${code}: ${err}`)),
    );
  });
}

/** Export both tables to CSV with psql, sort both, diff: changed rows count twice, once per side. */
async function plainDiff(url: string, dir: string): Promise<number> {
  const files = ['a', 'b'].map((t) => path.join(dir, `${t}.csv`));
  await Promise.all(
    ['a', 'b'].map((t, i) => sh('psql', [url, '-qc', `\\copy ${t} TO '${files[i]}' CSV`])),
  );
  await Promise.all(files.map((f) => sh('sort', ['-o', `${f}.sorted`, f], { LC_ALL: 'C' })));
  const out = await sh('diff', [`${files[0]}.sorted`, `${files[1]}.sorted`]);
  const lines = out.split('\n');
  const keys = new Set(
    lines
      .filter((l) => l.startsWith('< ') || l.startsWith('> '))
      .map((l) => l.slice(2).split(',')[0]),
  );
  return keys.size;
}
