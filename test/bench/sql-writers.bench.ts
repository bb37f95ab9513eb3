/**
 * The SQL writers alone, at size: 1,000,000 typed rows (the rows of ingest.bench.ts's CSV, made
 * by the same formula) written into a fresh table by each engine's writer, against the engine's
 * own bulk loader reading that CSV into a table of the same DDL, in the same run, alternating:
 * `sqlite3 .import`, `psql \copy … CSV HEADER`, `mariadb … LOAD DATA LOCAL INFILE`; five pairs,
 * the ratio is the median of the pairs' ratios (the machine's load drifts; a pair shares it).
 * The SQLite writer's time includes starting its worker thread, which from source (tsx compiles
 * the TypeScript in the thread) costs far more than the bundled app's .js worker: reported apart.
 * Then memory: 300,000 and 3,000,000 rows made batch by batch while the writer runs, each in a
 * fresh child process sampling its peak RSS, to show it stays flat in the number of rows.
 * Run: npx tsx test/bench/sql-writers.bench.ts (or `npm run bench -- sql-writers` once registered).
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Column } from '../../shared/model.js';
import type { Backend } from '../../electron/backends/backend.js';
import type { DatasetWriter, WriteValue, WriteTarget } from '../../electron/backends/writer.js';
import { mysqlFactory } from '../../electron/backends/mysql/mysql-backend.js';
import { createTableSql as mysqlTable } from '../../electron/backends/mysql/write-ddl.js';
import { postgresFactory } from '../../electron/backends/postgres/postgres-backend.js';
import { createTableSql as postgresTable } from '../../electron/backends/postgres/write-ddl.js';
import { createSqliteWriter } from '../../electron/backends/sqlite/sqlite-writer.js';
import { createTableSql as sqliteTable } from '../../electron/backends/sqlite/write-ddl.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlAvailable,
  postgresAvailable,
} from '../support/servers.js';
import { median, report, round, type BenchRow } from './support/stats.js';

const rowCount = 1_000_000;
const batchSize = 10_000;
const pairs = 5;
type Engine = 'SQLite' | 'PostgreSQL' | 'MariaDB';

const col = (name: string, type: Column['type'], nullable = true): Column => ({
  name,
  type,
  nativeType: '',
  nullable,
});
const columns: Column[] = [
  col('id', 'integer', false),
  col('day', 'date'),
  col('quantity', 'integer'),
  col('amount', 'decimal'),
  col('paid', 'boolean'),
  col('comment', 'text'),
  col('note', 'text'),
];
const key = ['id'];
const target = (tablePath: string[]): WriteTarget => ({
  path: tablePath,
  mode: 'create',
  columns,
  key,
  partitionBy: [],
});

/** Row i of ingest.bench.ts's orders CSV, typed as the ingest pipeline types it. */
function row(i: number): WriteValue[] {
  const day = new Date(Date.UTC(2020, 0, 1) + (i % 1460) * 86_400_000).toISOString().slice(0, 10);
  return [
    i,
    day,
    (i * 7919) % 100_000,
    (((i * 104_729) % 10_000_000) / 100).toFixed(2),
    i % 4 !== 0,
    `note ${i % 97}, shipped from "warehouse" ${i % 13}`,
    i % 5 === 0 ? null : `n${i % 1000}`,
  ];
}

function batch(from: number, count: number): WriteValue[][] {
  const rows: WriteValue[][] = new Array(count);
  for (let k = 0; k < count; k++) rows[k] = row(from + k);
  return rows;
}

/** The same file ingest.bench.ts writes (same path, same bytes): made here when absent. */
async function csvFile(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'strata-ingest-bench');
  const file = path.join(dir, 'orders-1m-v1.csv');
  if (existsSync(file) && statSync(file).size > 70e6) return file;
  mkdirSync(dir, { recursive: true });
  const out = createWriteStream(`${file}.tmp`);
  out.write('id,day,quantity,amount,paid,comment,note\n');
  for (let i = 1; i <= rowCount; i++) {
    const [, day, quantity, amount, paid, , note] = row(i);
    const comment = `"note ${i % 97}, shipped from ""warehouse"" ${i % 13}"`;
    const line = `${i},${day},${quantity},${amount},${paid},${comment},${note ?? ''}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.tmp`, file);
  return file;
}

/** One store to write into: a writer per table name, the reference tool, and cleanup. */
interface Store {
  writer(table: string): DatasetWriter;
  path(table: string): string[];
  tool(table: string, csv: string): void;
  close(): Promise<void>;
}

async function openStore(engine: Engine): Promise<Store | undefined> {
  if (engine === 'SQLite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-sql-writers-'));
    const fresh = (name: string) => {
      const file = path.join(dir, `${name}.db`);
      new Database(file).close();
      return file;
    };
    return {
      writer: (table) => createSqliteWriter(fresh(table)),
      path: () => ['main', 't'],
      tool: (table, csv) =>
        void execFileSync('sqlite3', [
          fresh(table),
          sqliteTable('"t"', columns, key),
          `.import --csv --skip 1 ${csv} t`,
        ]),
      close: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const skip = engine === 'PostgreSQL' ? await postgresAvailable() : await mysqlAvailable();
  if (skip) {
    console.warn(`⚠ SKIPPED ${engine}: ${skip}`);
    return undefined;
  }
  if (engine === 'PostgreSQL') {
    const db = await createPostgresDatabase();
    const backend: Backend = await postgresFactory.open(db.config);
    const psql = (sql: string) => execFileSync('psql', [db.url, '-qc', sql]);
    return {
      writer: () => backend.writer!,
      path: (table) => ['public', table],
      tool: (table, csv) => {
        psql(postgresTable(table, columns, key, undefined));
        psql(`\\copy ${table} FROM '${csv}' CSV HEADER`);
      },
      close: async () => {
        await backend.close();
        await db.drop();
      },
    };
  }
  const db = await createMysqlDatabase();
  const backend: Backend = await mysqlFactory.open(db.config);
  const name = db.config.database!;
  const { host, port, user } = db.config;
  const mariadb = (sql: string) =>
    execFileSync('mariadb', [
      '-h',
      host,
      '-P',
      String(port),
      '-u',
      user,
      '--local-infile=1',
      name,
      '-e',
      sql,
    ]);
  return {
    writer: () => backend.writer!,
    path: (table) => [name, table],
    tool: (table, csv) => {
      mariadb(mysqlTable(table, columns, key, undefined));
      mariadb(
        `LOAD DATA LOCAL INFILE '${csv}' INTO TABLE ${table} CHARACTER SET utf8mb4 ` +
          `FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' IGNORE 1 LINES ` +
          `(id, day, quantity, amount, @paid, comment, @note) SET paid = (@paid = 'true'), note = NULLIF(@note, '')`,
      );
    },
    close: async () => {
      await backend.close();
      await db.drop();
    },
  };
}

/** Time from begin to commit, and the part of it `begin` took (the worker start, for SQLite). */
async function timeWriter(writer: DatasetWriter, tablePath: string[], batches: WriteValue[][][]) {
  const start = performance.now();
  const session = await writer.begin(target(tablePath));
  const begun = performance.now();
  for (const rows of batches) await session.write(rows);
  await session.commit();
  return { total: performance.now() - start, begin: begun - start };
}

async function throughput(
  engine: Engine,
  tool: string,
  aim: number,
  csv: string,
): Promise<BenchRow[]> {
  const store = await openStore(engine);
  if (!store) return [];
  const batches: WriteValue[][][] = [];
  for (let from = 1; from <= rowCount; from += batchSize) batches.push(batch(from, batchSize));
  const ours: number[] = [];
  const begins: number[] = [];
  const theirs: number[] = [];
  try {
    for (let n = 0; n < pairs; n++) {
      const start = performance.now();
      store.tool(`cli${n}`, csv);
      theirs.push(performance.now() - start);
      const { total, begin } = await timeWriter(
        store.writer(`w${n}`),
        store.path(`w${n}`),
        batches,
      );
      ours.push(total);
      begins.push(begin);
    }
  } finally {
    await store.close();
  }
  const ms = (times: number[]) => times.map((t) => t.toFixed(0)).join('/');
  console.log(`${engine}: writer ${ms(ours)} ms (begin ${ms(begins)}), ${tool} ${ms(theirs)} ms`);
  const ratio = median(ours.map((t, i) => theirs[i]! / t));
  const loadRatio = median(ours.map((t, i) => theirs[i]! / (t - begins[i]!)));
  const rate = (t: number) => Math.round(rowCount / (t / 1000));
  const rows: BenchRow[] = [
    {
      metric: `${engine} writer: 1M typed rows`,
      value: rate(median(ours)),
      unit: 'rows/s',
      note: `median ${round(median(ours) / 1000, 2)} s`,
    },
    {
      metric: `${engine}: ${tool}, same rows from the CSV`,
      value: rate(median(theirs)),
      unit: 'rows/s',
      note: `median ${round(median(theirs) / 1000, 2)} s`,
    },
    {
      metric: `${engine}: writer ÷ ${tool}`,
      value: round(ratio, 2),
      unit: '×',
      aim: `≥ ${aim}`,
      met: ratio >= aim,
    },
  ];
  if (engine === 'SQLite') {
    rows.push(
      {
        metric: 'SQLite: worker start + begin, from source (tsx)',
        value: round(median(begins)),
        unit: 'ms',
        note: 'the bundled .js worker starts in ~50–80 ms',
      },
      {
        metric: 'SQLite: writer ÷ sqlite3 .import, worker start excluded',
        value: round(loadRatio, 2),
        unit: '×',
      },
    );
  }
  return rows;
}

/** In a child process: writes `count` rows made batch by batch, prints the peak RSS. */
async function peakRss(engine: Engine, count: number): Promise<void> {
  const store = (await openStore(engine))!;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const session = await store.writer('m').begin(target(store.path('m')));
    for (let from = 1; from <= count; from += batchSize)
      await session.write(batch(from, batchSize));
    await session.commit();
  } finally {
    clearInterval(timer);
    await store.close();
  }
  process.stdout.write(`PEAK ${Math.max(peak, process.memoryUsage().rss)}\n`);
}

function memory(engine: Engine): BenchRow[] {
  const measure = (count: number) => {
    const output = execFileSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--memory', engine, String(count)],
      { encoding: 'utf8' },
    );
    const peak = /PEAK (\d+)/.exec(output);
    return peak ? Number(peak[1]) / 2 ** 20 : Number.NaN;
  };
  const small = measure(300_000);
  const large = measure(3_000_000);
  if (Number.isNaN(small) || Number.isNaN(large)) return [];
  return [
    {
      metric: `${engine}: peak RSS writing 3M rows, over writing 0.3M`,
      value: round(large - small, 1),
      unit: 'MiB',
      aim: 'flat: < 64 MiB for 10× the rows',
      met: large - small < 64,
      note: `${round(small)} MiB → ${round(large)} MiB`,
    },
  ];
}

const memoryArg = process.argv.indexOf('--memory');
if (memoryArg >= 0) {
  await peakRss(process.argv[memoryArg + 1] as Engine, Number(process.argv[memoryArg + 2]));
} else {
  const csv = await csvFile();
  const results: BenchRow[] = [
    ...(await throughput('SQLite', 'sqlite3 .import', 1, csv)),
    ...(await throughput('PostgreSQL', 'psql \\copy CSV HEADER', 0.8, csv)),
    ...(await throughput('MariaDB', 'LOAD DATA LOCAL INFILE', 0.8, csv)),
  ];
  for (const engine of ['SQLite', 'PostgreSQL', 'MariaDB'] as const)
    results.push(...memory(engine));
  results.push({
    metric: 'load average (1 min) at the end',
    value: round(os.loadavg()[0]!, 2),
    unit: '',
    note: `${os.cpus().length} cores`,
  });
  report('sql-writers', results);
}
