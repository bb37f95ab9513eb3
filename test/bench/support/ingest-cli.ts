/**
 * The ingest benchmark's end-to-end parts: `strata ingest` — the CLI as shipped, bundled by
 * scripts/build.mjs (workers as plain .js, as in the app), in a process of its own — into a new
 * table, and each store's own loader on the same file into a table of the same types: the sqlite3
 * shell's `.import`, `psql \copy … CSV HEADER`, `mariadb … LOAD DATA LOCAL INFILE`. Peak resident
 * memory is the kernel's high-water mark of the strata process (main thread and every worker),
 * read from /proc while it runs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
/** Inside node_modules so the bundles find better-sqlite3; never dist-electron (see build.mjs). */
const outdir = path.join(repo, 'node_modules/.cache/strata-bench');

export const typedTableDdl =
  'CREATE TABLE orders(id INTEGER PRIMARY KEY, day DATE, quantity INTEGER, amount DECIMAL(18,2), paid BOOLEAN, comment TEXT, note TEXT);';

export interface StrataRun {
  /** The whole command, process start to exit. */
  ms: number;
  /** The ingest job alone (its summary). */
  jobMs: number;
  rows: number;
  peakRss: number;
}

let built = false;

/** Bundles the CLI and its workers, once per run. */
export function prepare(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs', '--main-only', `--outdir=${outdir}`], {
    cwd: repo,
    stdio: 'inherit',
  });
  built = true;
}

/** Whether there is a sqlite3 shell to compare with. */
export function hasSqliteShell(): boolean {
  try {
    execFileSync('sqlite3', ['-version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the CLI's data directory before any timed run: on a fresh one the CLI first generates the
 * demo database (~5 s), and the disk is still writing that back during the next run (measured:
 * 3.09 s for a run right after against 2.52 s for the one after that). Neither is the ingest's.
 */
export function prepareDataDir(workDir: string): void {
  const data = path.join(workDir, 'data');
  execFileSync(process.execPath, [path.join(outdir, 'cli.js'), '--data-dir', data, 'ls'], {
    stdio: 'ignore',
  });
  execFileSync('sync');
}

/** `strata ingest FILE REF --key id --rules …`: REF is a connection (a URL) and a new table. */
export async function strataIngest(file: string, ref: string, workDir: string): Promise<StrataRun> {
  const rules = path.join(workDir, 'rules.json');
  writeFileSync(
    rules,
    JSON.stringify({ columns: { amount: { min: 0 }, quantity: { min: 0, max: 100_000 } } }),
  );
  const args = [
    path.join(outdir, 'cli.js'),
    '--data-dir',
    path.join(workDir, 'data'),
    'ingest',
    file,
    ref,
    '--key',
    'id',
    '--rules',
    rules,
    '--json',
  ];
  const start = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let peakRss = 0;
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakRss = Math.max(peakRss, Number(hwm[1]) * 1024);
    } catch {
      // The process has just ended; the last sample stands.
    }
  };
  const sampler = setInterval(sample, 20);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ms = performance.now() - start;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`strata ingest exited ${code}: ${stderr.slice(-2000)}`);
  const summary = JSON.parse(stdout) as { summary: { ms: number; rowsLoaded: number } };
  return { ms, jobMs: summary.summary.ms, rows: summary.summary.rowsLoaded, peakRss };
}

/** `strata ingest` into table `orders` of a new SQLite file `db`. */
export function strataIngestSqlite(file: string, db: string, workDir: string): Promise<StrataRun> {
  new Database(db).close();
  return strataIngest(file, `sqlite:${db}#orders`, workDir);
}

/** The sqlite3 shell's import into the typed table; ms. */
export function shellImport(file: string, db: string): number {
  rmSync(db, { force: true });
  execFileSync('sqlite3', [db, typedTableDdl]);
  const start = performance.now();
  execFileSync('sqlite3', ['-cmd', '.mode csv', db, `.import --skip 1 ${file} orders`]);
  return performance.now() - start;
}

/** The types `strata ingest` gives the bench file's columns, as PostgreSQL and MariaDB DDL. */
const serverColumns = (text: string, boolean: string) =>
  `(id BIGINT PRIMARY KEY, day DATE, quantity BIGINT, amount DECIMAL(18,2), paid ${boolean}, ` +
  `comment ${text}, note ${text})`;

/** `psql \copy … CSV HEADER` into a new table of those types; ms. */
export function psqlCopy(file: string, url: string, table: string): number {
  execFileSync('psql', [url, '-qc', `CREATE TABLE ${table} ${serverColumns('TEXT', 'BOOLEAN')}`]);
  const start = performance.now();
  execFileSync('psql', [url, '-qc', `\\copy ${table} FROM '${file}' CSV HEADER`]);
  return performance.now() - start;
}

/**
 * `mariadb … LOAD DATA LOCAL INFILE` into a new table of those types; ms. The CSV's booleans and
 * empty notes are turned into what strata loads (1/0, NULL) by the statement, as a person would.
 */
export function loadDataInfile(
  file: string,
  server: { host: string; port: number; user: string; database: string },
  table: string,
): number {
  const mariadb = (sql: string) =>
    execFileSync('mariadb', [
      '-h',
      server.host,
      '-P',
      String(server.port),
      '-u',
      server.user,
      '--local-infile=1',
      server.database,
      '-e',
      sql,
    ]);
  mariadb(`CREATE TABLE ${table} ${serverColumns('LONGTEXT', 'BOOLEAN')}`);
  const start = performance.now();
  mariadb(
    `LOAD DATA LOCAL INFILE '${file}' INTO TABLE ${table} CHARACTER SET utf8mb4 ` +
      `FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' IGNORE 1 LINES ` +
      `(id, day, quantity, amount, @paid, comment, @note) SET paid = (@paid = 'true'), note = NULLIF(@note, '')`,
  );
  return performance.now() - start;
}
