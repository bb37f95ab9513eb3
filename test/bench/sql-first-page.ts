/**
 * First page (100 rows) of a 1M-row table on PostgreSQL and MariaDB through Strata's backend,
 * against the server's own CLI (psql / mariadb) fetching the same page in the same run, plus a
 * deep page read by keyset (after the page before it) versus by OFFSET (a sorted view).
 * Run: npx tsx test/bench/sql-first-page.ts
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Backend } from '../../electron/backends/backend.js';
import { mysqlFactory } from '../../electron/backends/mysql/mysql-backend.js';
import { postgresFactory } from '../../electron/backends/postgres/postgres-backend.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlAvailable,
  postgresAvailable,
} from '../support/servers.js';

const rows = 1_000_000;
const runs = 15;
const plain = { sort: [], filters: [] };

async function median(work: () => Promise<unknown> | unknown): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function measure(name: string, backend: Backend, path: string[], cli: () => unknown) {
  const first = await median(() => backend.page(path, plain, 0, 100));
  const viaCli = await median(cli);
  const deep = rows - 1_000;
  await backend.page(path, plain, deep - 100, 100);
  const keyset = await median(() => backend.page(path, plain, deep, 100));
  // An explicit sort on the key reads the same rows, but by OFFSET (keyset is for plain views).
  const sorted = { sort: [{ column: 'id', direction: 'asc' as const }], filters: [] };
  const offset = await median(() => backend.page(path, sorted, deep, 100));
  console.log(
    `${name}: first page ${first.toFixed(2)} ms, ${name === 'PostgreSQL' ? 'psql' : 'mariadb'} CLI ${viaCli.toFixed(1)} ms ` +
      `(ratio ${(first / viaCli).toFixed(3)}); page at ${deep}: keyset ${keyset.toFixed(2)} ms, ` +
      `OFFSET ${offset.toFixed(2)} ms (${(offset / keyset).toFixed(0)}× slower)`,
  );
}

const table = `(id int PRIMARY KEY, name varchar(40), amount decimal(12,2), born date)`;

if (await postgresAvailable()) console.warn('⚠ PostgreSQL skipped: unreachable');
else {
  const db = await createPostgresDatabase();
  try {
    await db.exec(`CREATE TABLE big ${table};
      INSERT INTO big SELECT g, 'name ' || g, g / 100.0, DATE '2000-01-01' + (g % 9000)
      FROM generate_series(1, ${rows}) g; ANALYZE big;`);
    const backend = await postgresFactory.open(db.config);
    const args = [
      '-X',
      '-q',
      '-A',
      '-t',
      db.url,
      '-c',
      'SELECT * FROM public.big ORDER BY id LIMIT 100 OFFSET 0',
    ];
    await measure('PostgreSQL', backend, ['public', 'big'], () => execFileSync('psql', args));
    await backend.close();
  } finally {
    await db.drop();
  }
}

if (await mysqlAvailable()) console.warn('⚠ MariaDB skipped: unreachable');
else {
  const db = await createMysqlDatabase();
  try {
    await db.exec(`CREATE TABLE big ${table};
      INSERT INTO big SELECT seq, CONCAT('name ', seq), seq / 100, DATE '2000-01-01' + INTERVAL (seq % 9000) DAY
      FROM seq_1_to_${rows}; ANALYZE TABLE big;`);
    const backend = await mysqlFactory.open(db.config);
    const { host, port, user, database } = db.config;
    const args = [
      '-h',
      host,
      '-P',
      String(port),
      '-u',
      user,
      '-B',
      '-N',
      database!,
      '-e',
      'SELECT * FROM big ORDER BY id LIMIT 100 OFFSET 0',
    ];
    await measure('MariaDB', backend, [database!, 'big'], () => execFileSync('mariadb', args));
    await backend.close();
  } finally {
    await db.drop();
  }
}
