/**
 * Diffs at size: the demo's 1M-row `sales` table against itself after 100 changed, 10 added and
 * 10 removed rows, all in one run:
 *  - snapshot against snapshot (shared chunks skipped undecoded) — aim under 300 ms; chunks decoded;
 *  - snapshot against the live SQLite table (scan) and against the same rows loaded into live
 *    PostgreSQL: rows/s and peak RSS growth;
 *  - a plain approach on the same data: export A and B as CSV (sqlite3 -csv), `sort` both, `diff`
 *    — printed as the ratio of our time to its.
 * Each diff must find exactly 100 / 10 / 10, or the run fails.
 * Run: npm run bench -- diff (or npx tsx test/bench/diff.bench.ts).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DiffSide, DiffSummary } from '../../shared/diff.js';
import type { DatasetRef } from '../../shared/model.js';
import { createHost, type Host } from '../../electron/host.js';
import { createPostgresDatabase, postgresAvailable } from '../support/servers.js';
import { median, report, round, type BenchRow } from './support/stats.js';

const rows: BenchRow[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-diff-bench-'));
const expected = { added: 10, removed: 10, changed: 100 };

async function timed<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; cpuMs: number; peakRss: number }> {
  const cpu = process.cpuUsage();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  clearInterval(sampler);
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000, peakRss: peak - base };
}

async function diff(host: Host, a: DiffSide, b: DiffSide): Promise<DiffSummary> {
  const { jobId } = await host.call('startDiff', { a, b });
  const status = await host.call('getDiffJob', { jobId, wait: true });
  if (status.state !== 'done') throw new Error(`diff ${status.state}: ${status.error?.message}`);
  const summary = status.summary!;
  const { added, removed, changed } = summary.counts;
  if (added !== expected.added || removed !== expected.removed || changed !== expected.changed) {
    throw new Error(
      `diff found ${JSON.stringify(summary.counts)}, not ${JSON.stringify(expected)}`,
    );
  }
  await host.call('closeDiff', { diffId: summary.diffId });
  return summary;
}

async function snapshotOf(host: Host, ref: DatasetRef): Promise<string> {
  const { jobId } = await host.call('createSnapshot', { ref });
  const status = await host.call('getVersionsJob', { jobId, wait: true });
  if (status.state !== 'done')
    throw new Error(`snapshot ${status.state}: ${status.error?.message}`);
  return status.snapshot!.id;
}

function sh(command: string): number {
  const start = performance.now();
  execFileSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - start;
}

const mib = (bytes: number) => round(bytes / 2 ** 20);
const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));

try {
  process.stdout.write('generating the demo (1M sales rows)…\n');
  const host = await createHost({ dataDir: dir });
  await host.demoReady;
  const demo = host.connections.list().find((c) => c.name === 'Demo (SQLite)')!;
  const sales: DatasetRef = { connectionId: demo.id, path: ['main', 'sales'] };
  const demoFile = path.join(dir, 'demo.sqlite');
  const step = (what: string) => process.stdout.write(`${new Date().toISOString()} ${what}\n`);
  step('snapshot before');
  const before = await snapshotOf(host, sales);
  const beforeFile = path.join(dir, 'before.sqlite');
  copyFileSync(demoFile, beforeFile);

  const db = new Database(demoFile);
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    const update = db.prepare('UPDATE sales SET amount = amount + 0.01, note = ? WHERE id = ?');
    for (let i = 0; i < 100; i++) update.run('bench: changed', 1 + ((i * 7919 * 13) % 1_000_000));
    const remove = db.prepare('DELETE FROM sales WHERE id = ?');
    for (let i = 0; i < 10; i++) remove.run(5 + ((i * 104_729) % 1_000_000) + 1);
    const insert = db.prepare(
      "INSERT INTO sales VALUES (?, '2025-01-01', 1, 1, 9.99, 'EUR', 1, 'bench: added')",
    );
    for (let i = 1; i <= 10; i++) insert.run(1_000_000 + i);
  })();
  db.close();
  step('snapshot after');
  const after = await snapshotOf(host, sales);
  step('snapshot vs snapshot');

  // Snapshot against snapshot, three times (the first reads the objects from disk).
  const pairs: number[] = [];
  const cpus: number[] = [];
  let pair: DiffSummary | undefined;
  for (let i = 0; i < 3; i++) {
    const run = await timed(() =>
      diff(host, { kind: 'snapshot', snapshotId: before }, { kind: 'snapshot', snapshotId: after }),
    );
    pairs.push(run.ms);
    cpus.push(run.cpuMs);
    pair = run.value;
  }
  const pairMs = median(pairs);
  const chunks = pair!.chunks!;
  rows.push(
    {
      metric: 'snapshot vs snapshot (median of 3)',
      value: round(pairMs),
      unit: 'ms',
      aim: '< 300 ms',
      met: pairMs < 300,
      note: `${chunks.decoded} of ${chunks.total} chunks decoded, ${chunks.skipped} skipped; ${(pair!.rowsRead.a + pair!.rowsRead.b).toLocaleString('en-US')} rows merged`,
    },
    {
      metric: '  CPU time of this process (median of 3)',
      value: round(median(cpus)),
      unit: 'ms',
      note: 'what the diff costs without the machine’s load (wall time above waits for a core)',
    },
    {
      metric: '  chunks decoded',
      value: chunks.decoded,
      unit: 'chunks',
      note: `of ${chunks.total}`,
    },
  );

  step('snapshot vs live SQLite');
  const live = await timed(() =>
    diff(host, { kind: 'snapshot', snapshotId: before }, { kind: 'dataset', ref: sales }),
  );
  const liveRows = live.value.rowsRead.a + live.value.rowsRead.b;
  rows.push(
    {
      metric: 'snapshot vs live SQLite',
      value: round(live.ms / 1000, 2),
      unit: 's',
      note: `${perSecond(liveRows, live.ms).toLocaleString('en-US')} rows/s (both sides), method ${live.value.method}`,
    },
    { metric: '  peak RSS growth', value: mib(live.peakRss), unit: 'MiB' },
  );

  // The plain approach: both sides exported as CSV, sorted, diffed.
  step('plain: sqlite3 -csv, sort, diff');
  const aCsv = path.join(dir, 'a.csv');
  const bCsv = path.join(dir, 'b.csv');
  const plain = median(
    [1, 2, 3].map(() =>
      sh(
        `sqlite3 -csv ${beforeFile} 'SELECT * FROM sales' > ${aCsv} & sqlite3 -csv ${demoFile} 'SELECT * FROM sales' > ${bCsv}; wait; ` +
          `LC_ALL=C sort -S 200M ${aCsv} -o ${aCsv}.s & LC_ALL=C sort -S 200M ${bCsv} -o ${bCsv}.s; wait; diff ${aCsv}.s ${bCsv}.s > /dev/null; test $? -le 1`,
      ),
    ),
  );
  rows.push(
    {
      metric: 'plain: sqlite3 -csv both, sort, diff (median of 3)',
      value: round(plain),
      unit: 'ms',
    },
    {
      metric: '  snapshot vs snapshot ÷ plain',
      value: round(pairMs / plain, 3),
      unit: '×',
      aim: '< 1',
      met: pairMs < plain,
    },
    { metric: '  snapshot vs live SQLite ÷ plain', value: round(live.ms / plain, 2), unit: '×' },
  );

  const pgSkip = await postgresAvailable();
  if (pgSkip) {
    console.warn(`⚠ live PostgreSQL part skipped: ${pgSkip}`);
  } else {
    const pgDb = await createPostgresDatabase();
    let pgConnectionId: string | undefined;
    try {
      await pgDb.exec(`CREATE TABLE sales (id BIGINT PRIMARY KEY, date DATE NOT NULL,
        customer_id INTEGER NOT NULL, product_id INTEGER NOT NULL, amount NUMERIC(10,2) NOT NULL,
        currency TEXT NOT NULL, paid BOOLEAN NOT NULL, note TEXT)`);
      const csv = path.join(dir, 'b-pg.csv');
      sh(
        `sqlite3 -csv ${demoFile} "SELECT id, date, customer_id, product_id, amount, currency, CASE paid WHEN 1 THEN 'true' ELSE 'false' END, note FROM sales" > ${csv}`,
      );
      sh(`psql '${pgDb.url}' -q -c "\\copy sales FROM '${csv}' WITH (FORMAT csv)"`);
      await pgDb.exec('ANALYZE sales');
      const { host: pgHost, port, user, database } = pgDb.config;
      const connection = await host.call('saveConnection', {
        name: 'bench pg',
        config: { kind: 'postgres', host: pgHost, port, user, database },
        secrets: { password: pgDb.config.password ?? null },
      });
      pgConnectionId = connection.id;
      const pgSales: DatasetRef = { connectionId: connection.id, path: ['public', 'sales'] };
      step('snapshot vs live PostgreSQL');
      const pgRun = await timed(() =>
        diff(host, { kind: 'snapshot', snapshotId: before }, { kind: 'dataset', ref: pgSales }),
      );
      const pgRows = pgRun.value.rowsRead.a + pgRun.value.rowsRead.b;
      rows.push(
        {
          metric: 'snapshot (SQLite) vs live PostgreSQL',
          value: round(pgRun.ms / 1000, 2),
          unit: 's',
          note: `${perSecond(pgRows, pgRun.ms).toLocaleString('en-US')} rows/s (both sides), method ${pgRun.value.method}`,
        },
        { metric: '  peak RSS growth', value: mib(pgRun.peakRss), unit: 'MiB' },
        { metric: '  ÷ plain', value: round(pgRun.ms / plain, 2), unit: '×' },
      );
    } finally {
      // The connection first: its pool would hold the database open.
      if (pgConnectionId) await host.call('removeConnection', { connectionId: pgConnectionId });
      await pgDb.drop();
    }
  }
  rows.push({
    metric: 'machine load average (1 min) at the end',
    value: round(os.loadavg()[0]!),
    unit: '',
  });
  await host.close();
  report('diff', rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
