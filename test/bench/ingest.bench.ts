/**
 * Upload at size. A deterministic 1M-row CSV of ~80 MB (ids, dates, integers, decimals, quoted
 * text with commas and quotes, booleans, empty fields), cached under os.tmpdir().
 *
 * Part 1 — the parser, chosen by measurement: the ingest's splitter (electron/ingest/csv-split,
 * which browsing CSV files uses too), papaparse and udsv split the same decoded text (median of 3), and
 * split every file of the nasty corpus, compared field by field with what expected.json pins
 * (NULL told from '' or not, line numbers, refused malformed files).
 * Part 2 — `strata ingest` (sniff, worker parse + validate, write; the CLI as shipped, bundled)
 * into SQLite, against the sqlite3 shell's `.import` into a typed table, same run, turn about;
 * peak RSS, and again on a generated ~1 GB file (deleted after): memory must stay flat. Skipped,
 * loudly, without the sqlite3 shell (support/ingest-cli.ts).
 * Part 3 — `strata ingest` into PostgreSQL and MariaDB against `psql \copy … CSV HEADER` and
 * `LOAD DATA LOCAL INFILE` into tables of the same types, same file, turn about; each skipped,
 * loudly, without its server.
 * Run: npx tsx test/bench/ingest.bench.ts (or `npm run bench -- ingest` once registered).
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';
import { CsvSplit, type CsvField } from '../../electron/ingest/csv-split.js';
import { sniffFile } from '../../electron/ingest/sniff.js';
import { fixturesDir } from '../integration/ingest/fixtures.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlAvailable,
  postgresAvailable,
} from '../support/servers.js';
import {
  hasSqliteShell,
  loadDataInfile,
  prepare,
  prepareDataDir,
  psqlCopy,
  shellImport,
  strataIngest,
  strataIngestSqlite,
  type StrataRun,
} from './support/ingest-cli.js';
import { median, report, round, type BenchRow } from './support/stats.js';

export const rowCount = 1_000_000;

/** The benchmark file, written once per machine (deterministic: same bytes every time). */
export async function benchFile(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'strata-ingest-bench');
  const file = path.join(dir, 'orders-1m-v1.csv');
  if (existsSync(file) && statSync(file).size > 70e6) return file;
  mkdirSync(dir, { recursive: true });
  await writeOrders(`${file}.tmp`, rowCount);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** `rows` orders as CSV, the same rows for the same count. */
async function writeOrders(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('id,day,quantity,amount,paid,comment,note\n');
  for (let i = 1; i <= rows; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + (i % 1460) * 86_400_000).toISOString().slice(0, 10);
    const amount = (((i * 104_729) % 10_000_000) / 100).toFixed(2);
    const note = i % 5 === 0 ? '' : `n${i % 1000}`;
    const line = `${i},${day},${(i * 7919) % 100_000},${amount},${i % 4 !== 0},"note ${i % 97}, shipped from ""warehouse"" ${i % 13}",${note}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface Dialect {
  delimiter: string;
  quote: '"' | "'" | '';
  escape: 'double' | 'backslash';
}
type Parser = (chunks: string[], dialect: Dialect) => Promise<CsvField[][]> | CsvField[][];

/** Each parser takes the same decoded chunks and gives records of fields (kept or counted). */
const parsers: Record<string, (keep: boolean) => Parser> = {
  'ingest csv-split': (keep) => (chunks, dialect) => {
    const out: CsvField[][] = [];
    const splitter = new CsvSplit({ ...dialect, source: 'bench' });
    const take = keep ? (r: { fields: CsvField[] }) => void out.push(r.fields) : () => undefined;
    for (const chunk of chunks) splitter.push(chunk, take);
    splitter.end(take);
    return out;
  },
  papaparse: (keep) => (chunks, dialect) =>
    new Promise((resolve, reject) => {
      const out: CsvField[][] = [];
      const errors: string[] = [];
      // Its best case, measured: 64 KiB strings (1 MiB ones make it about 3× slower).
      const pieces = chunks.flatMap((c) =>
        Array.from({ length: Math.ceil(c.length / 65_536) }, (_, k) =>
          c.slice(k * 65_536, (k + 1) * 65_536),
        ),
      );
      Papa.parse<string[]>(Readable.from(pieces) as unknown as File, {
        delimiter: dialect.delimiter,
        quoteChar: dialect.quote || '\u0000',
        escapeChar: dialect.escape === 'backslash' ? '\\' : dialect.quote || '"',
        skipEmptyLines: true,
        chunk: (results) => {
          if (keep) for (const row of results.data) out.push(row);
          for (const e of results.errors) errors.push(`${e.code}: ${e.message}`);
        },
        complete: () => (errors.length > 0 ? reject(new Error(errors[0])) : resolve(out)),
        error: reject,
      });
    }),
  udsv: (keep) => (chunks, dialect) => {
    const out: CsvField[][] = [];
    let parser: ReturnType<typeof initParser> | undefined;
    for (const chunk of chunks) {
      parser ??= initParser(
        inferSchema(
          chunk,
          {
            col: dialect.delimiter,
            encl: dialect.quote,
            esc: dialect.escape === 'backslash' ? '\\' : null,
            // No header rows to skip: every record is data here, as for the other parsers.
            header: () => [],
          },
          1,
        ),
      );
      parser.chunk<string[]>(chunk, parser.stringArrs, (row) => {
        if (keep) out.push(row);
      });
    }
    parser?.end();
    return out;
  },
};

async function decodedChunks(file: string, encoding: string): Promise<string[]> {
  const decoder = new TextDecoder(encoding);
  const chunks: string[] = [];
  for await (const bytes of createReadStream(file, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    chunks.push(decoder.decode(bytes, { stream: true }));
  }
  chunks.push(decoder.decode());
  return chunks.filter((c) => c.length > 0);
}

async function parseSpeed(rows: BenchRow[]): Promise<void> {
  const file = await benchFile();
  const size = statSync(file).size;
  console.log(
    `${path.basename(file)}: ${rowCount.toLocaleString('en-US')} rows, ${(size / 2 ** 20).toFixed(1)} MiB`,
  );
  const chunks = await decodedChunks(file, 'utf-8');
  const dialect: Dialect = { delimiter: ',', quote: '"', escape: 'double' };
  for (const [name, make] of Object.entries(parsers)) {
    const parse = make(false);
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      await parse(chunks, dialect);
      times.push(performance.now() - start);
    }
    const ms = median(times);
    rows.push({
      metric: `parse 1M rows: ${name}`,
      value: round(ms / 1000, 2),
      unit: 's',
      note: `${round(size / 2 ** 20 / (ms / 1000), 0)} MiB/s`,
    });
  }
}

/** Each parser on every corpus file, compared with the records the corpus pins. */
async function corpus(rows: BenchRow[]): Promise<void> {
  const files = readdirSync(fixturesDir).filter((f) => /\.(csv|tsv)$/.test(f));
  for (const [name, make] of Object.entries(parsers)) {
    let exact = 0;
    let lenient = 0;
    const wrong: string[] = [];
    for (const f of files) {
      const file = path.join(fixturesDir, f);
      const reference = await referenceRecords(file);
      const got = await Promise.resolve()
        .then(async () => {
          const sniff = await sniffFile({ path: file }).catch(() => undefined);
          const d: Dialect = sniff?.dialect ?? { delimiter: ',', quote: '"', escape: 'double' };
          return make(true)(await decodedChunks(file, sniff?.dialect.encoding ?? 'utf-8'), d);
        })
        .then(
          (records) => JSON.stringify(records),
          () => 'error',
        );
      const loose = (text: string) => text.replace(/null/g, '""');
      if (got === reference) exact++;
      if (got === reference || loose(got) === loose(reference)) lenient++;
      else wrong.push(f);
    }
    rows.push({
      metric: `corpus: ${name}`,
      value: exact,
      unit: `of ${files.length} exact`,
      note: `${lenient} if NULL may read as ''${wrong.length ? `; wrong: ${wrong.join(', ')}` : ''}`,
    });
  }
}

/**
 * What a file must split into: the ingest splitter's records, or "error" where it refuses the file.
 * Those records are the ones the corpus test (test/integration/ingest) pins value by value.
 */
async function referenceRecords(file: string): Promise<string> {
  const sniff = await sniffFile({ path: file }).catch(() => undefined);
  const dialect: Dialect = sniff?.dialect ?? { delimiter: ',', quote: '"', escape: 'double' };
  const chunks = await decodedChunks(file, sniff?.dialect.encoding ?? 'utf-8');
  return Promise.resolve()
    .then(() => parsers['ingest csv-split']!(true)(chunks, dialect))
    .then(
      (records) => JSON.stringify(records),
      () => 'error',
    );
}

/** Part 2: `strata ingest` into SQLite against the sqlite3 shell's .import, same file, same run. */
async function intoSqlite(rows: BenchRow[]): Promise<void> {
  if (!hasSqliteShell()) {
    rows.push({ metric: 'SQLite: skipped', value: 0, unit: '', note: 'no sqlite3 shell on PATH' });
    return;
  }
  prepare();
  const file = await benchFile();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-ingest-sqlite-'));
  try {
    prepareDataDir(dir);
    // Turn about, three times each: the machine is shared, and the median of each side is compared.
    const strata: StrataRun[] = [];
    const shell: number[] = [];
    for (let run = 0; run < 3; run++) {
      strata.push(await strataIngestSqlite(file, path.join(dir, `strata-${run}.db`), dir));
      shell.push(shellImport(file, path.join(dir, `shell-${run}.db`)));
      rmSync(path.join(dir, `strata-${run}.db`), { force: true });
      rmSync(path.join(dir, `shell-${run}.db`), { force: true });
    }
    if (strata.some((r) => r.rows !== rowCount)) throw new Error('strata ingest lost rows');
    const ms = median(strata.map((r) => r.ms));
    const jobMs = median(strata.map((r) => r.jobMs));
    const shellMs = median(shell);
    const perSecond = (t: number) =>
      `${Math.round(rowCount / (t / 1000)).toLocaleString('en-US')} rows/s`;
    rows.push(
      {
        metric: 'SQLite: strata ingest command (sniff, infer, validate, key, write; median of 3)',
        value: round(ms / 1000, 2),
        unit: 's',
        note: perSecond(ms),
      },
      {
        metric: 'SQLite: of which the ingest job',
        value: round(jobMs / 1000, 2),
        unit: 's',
        note: perSecond(jobMs),
      },
      {
        metric: 'SQLite: sqlite3 .import into a typed table (median of 3)',
        value: round(shellMs / 1000, 2),
        unit: 's',
        note: perSecond(shellMs),
      },
      {
        metric: 'SQLite: strata ingest rows/s ÷ sqlite3 .import rows/s',
        value: round(shellMs / ms, 2),
        unit: '×',
        aim: '≥ 1',
        met: shellMs / ms >= 1,
        note: `the job alone: ${round(shellMs / jobMs, 2)}×`,
      },
      {
        metric: 'SQLite: peak RSS of strata ingest, 1M rows',
        value: round(Math.max(...strata.map((r) => r.peakRss)) / 2 ** 20, 0),
        unit: 'MiB',
      },
    );
    await gigabyte(rows, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A ~1 GB file of the same rows, generated here and deleted after: peak memory must stay flat. */
async function gigabyte(rows: BenchRow[], dir: string): Promise<void> {
  const count = 13_000_000;
  const file = path.join(dir, 'orders-13m.csv');
  await writeOrders(file, count);
  const size = statSync(file).size;
  try {
    const run = await strataIngestSqlite(file, path.join(dir, 'big.db'), dir);
    rmSync(path.join(dir, 'big.db'), { force: true });
    const shellMs = shellImport(file, path.join(dir, 'big-shell.db'));
    rmSync(path.join(dir, 'big-shell.db'), { force: true });
    if (run.rows !== count) throw new Error(`loaded ${run.rows} of ${count} rows`);
    const peak = run.peakRss / 2 ** 20;
    rows.push(
      {
        metric: `SQLite: strata ingest of ${(size / 1e9).toFixed(2)} GB (13M rows)`,
        value: round(run.ms / 1000, 1),
        unit: 's',
        note: `${Math.round(count / (run.ms / 1000)).toLocaleString('en-US')} rows/s; sqlite3 .import ${round(shellMs / 1000, 1)} s (${round(shellMs / run.ms, 2)}×)`,
      },
      {
        metric: 'SQLite: peak RSS of strata ingest, 1 GB file',
        value: round(peak, 0),
        unit: 'MiB',
        aim: '< 300',
        met: peak < 300,
      },
    );
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Part 3: `strata ingest` into a database server against the server's own bulk load of the same
 * file, turn about, three times each; the aim is 0.8 of the loader's rows/s.
 */
async function intoServer(
  rows: BenchRow[],
  engine: 'PostgreSQL' | 'MariaDB',
  tool: string,
): Promise<void> {
  const skip = engine === 'PostgreSQL' ? await postgresAvailable() : await mysqlAvailable();
  if (skip) {
    console.warn(`⚠ SKIPPED ${engine}: ${skip}`);
    rows.push({ metric: `${engine}: skipped`, value: 0, unit: '', note: skip });
    return;
  }
  prepare();
  const file = await benchFile();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-ingest-server-'));
  const db = engine === 'PostgreSQL' ? await createPostgresDatabase() : await createMysqlDatabase();
  try {
    prepareDataDir(dir);
    const schema = engine === 'PostgreSQL' ? 'public' : db.config.database!;
    const load = (table: string) =>
      engine === 'PostgreSQL'
        ? psqlCopy(file, db.url, table)
        : loadDataInfile(file, { ...db.config, database: db.config.database! }, table);
    const strata: StrataRun[] = [];
    const reference: number[] = [];
    for (let run = 0; run < 3; run++) {
      strata.push(await strataIngest(file, `${db.url}#${schema}.strata_${run}`, dir));
      reference.push(load(`reference_${run}`));
      await db.exec(`DROP TABLE strata_${run}`);
      await db.exec(`DROP TABLE reference_${run}`);
    }
    if (strata.some((r) => r.rows !== rowCount)) throw new Error(`strata ingest lost rows`);
    const ms = median(strata.map((r) => r.ms));
    const toolMs = median(reference);
    const perSecond = (t: number) =>
      `${Math.round(rowCount / (t / 1000)).toLocaleString('en-US')} rows/s`;
    rows.push(
      {
        metric: `${engine}: strata ingest command (median of 3)`,
        value: round(ms / 1000, 2),
        unit: 's',
        note: `${perSecond(ms)}; runs ${strata.map((r) => round(r.ms / 1000, 2)).join(', ')} s`,
      },
      {
        metric: `${engine}: ${tool} into a typed table (median of 3)`,
        value: round(toolMs / 1000, 2),
        unit: 's',
        note: `${perSecond(toolMs)}; runs ${reference.map((t) => round(t / 1000, 2)).join(', ')} s`,
      },
      {
        metric: `${engine}: strata ingest rows/s ÷ ${tool} rows/s`,
        value: round(toolMs / ms, 2),
        unit: '×',
        aim: '≥ 0.8',
        met: toolMs / ms >= 0.8,
        note: `the job alone: ${round(toolMs / median(strata.map((r) => r.jobMs)), 2)}×; peak RSS ${round(Math.max(...strata.map((r) => r.peakRss)) / 2 ** 20, 0)} MiB`,
      },
    );
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: BenchRow[] = [];
await parseSpeed(rows);
await corpus(rows);
await intoSqlite(rows);
await intoServer(rows, 'PostgreSQL', 'psql \\copy CSV HEADER');
await intoServer(rows, 'MariaDB', 'LOAD DATA LOCAL INFILE');
rows.push({
  metric: 'load average (1 min) at the end',
  value: round(os.loadavg()[0]!, 2),
  unit: '',
  note: `${os.cpus().length} cores; under load, the two-thread strata gets more CPU than the one-thread sqlite3`,
});
report('ingest', rows);
