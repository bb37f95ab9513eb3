/**
 * Issue 4's measurement: 1,000,000 keys under a unique prefix in logical database 14 (loaded with
 * pipelined MSETs, deleted afterwards), and the time to the first 1,000 keys in the key browser
 * (SCAN plus the pipelined TYPE/TTL/MEMORY USAGE/length per key that the grid shows) against
 * `redis-cli --scan --pattern 'prefix*' | head -1000` (names only) in the same run. Also the full
 * SCAN count of the pattern, which the grid's row count waits for.
 * Run: npm run bench -- redis-scan (once registered in run.ts), or npx tsx test/bench/redis-scan.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { redisFactory } from '../../electron/backends/redis/redis-backend.js';
import {
  deleteUnder,
  rawClient,
  redisAvailable,
  redisServer,
} from '../integration/redis/support.js';
import { median, report, round, type BenchRow } from './support/stats.js';

const keys = 1_000_000;
const db = 14;
const runs = 7;
const plain = { sort: [], filters: [] };

async function timed(work: () => Promise<unknown> | unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times;
}

const skip = await redisAvailable();
if (skip) {
  console.warn(`⚠ SKIPPED redis-scan bench: ${skip}`);
} else {
  const prefix = `strata-bench:${Date.now().toString(36)}:`;
  const client = rawClient(db);
  await client.connect();
  try {
    const loadStart = performance.now();
    // MSETs of 1,000 keys, 20 to a pipeline: one round trip per 20,000 keys.
    for (let start = 0; start < keys; start += 20_000) {
      const pipeline = client.pipeline();
      for (let chunk = start; chunk < start + 20_000; chunk += 1_000) {
        const pairs: string[] = [];
        for (let i = chunk; i < chunk + 1_000; i++) pairs.push(`${prefix}key:${i}`, `value ${i}`);
        pipeline.mset(...pairs);
      }
      await pipeline.exec();
    }
    const loadMs = performance.now() - loadStart;

    const config = redisServer(db);
    const pattern = `${prefix}*`;
    // A fresh backend per run, so no remembered cursor or count helps the next run.
    const browser = await timed(async () => {
      const backend = await redisFactory.open(config);
      try {
        const page = await backend.page([`db${db}`, 'keys', pattern], plain, 0, 1_000);
        if (page.rows.length !== 1_000) throw new Error(`got ${page.rows.length} keys`);
      } finally {
        await backend.close();
      }
    });
    const cliArgs = ['-h', config.host, '-p', String(config.port), '-n', String(db)];
    const env = { ...process.env, ...(config.password ? { REDISCLI_AUTH: config.password } : {}) };
    const cli = await timed(() => {
      const out = execFileSync(
        'sh',
        ['-c', `redis-cli ${cliArgs.join(' ')} --scan --pattern '${pattern}' | head -1000`],
        { env, encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      if (out.trim().split('\n').length !== 1_000) throw new Error('redis-cli listed too few');
    });
    const backend = await redisFactory.open(config);
    const countStart = performance.now();
    const counted = await backend.count([`db${db}`, 'keys', pattern], plain);
    const countMs = performance.now() - countStart;
    await backend.close();
    if (counted !== keys) throw new Error(`counted ${counted} keys`);

    const first = median(browser);
    const viaCli = median(cli);
    const rows: BenchRow[] = [
      { metric: 'load 1,000,000 keys (pipelined MSET)', value: round(loadMs / 1000, 2), unit: 's' },
      {
        metric: 'key browser: first 1,000 keys with type/TTL/memory/length',
        value: round(first),
        unit: 'ms',
        note: `median of ${runs}, fresh connection each`,
      },
      {
        metric: "redis-cli --scan --pattern 'prefix*' | head -1000 (names only)",
        value: round(viaCli),
        unit: 'ms',
        note: `median of ${runs}, includes starting redis-cli`,
      },
      {
        metric: 'ratio key browser / redis-cli',
        value: round(first / viaCli, 2),
        unit: '×',
      },
      { metric: 'exact count of the pattern by full SCAN', value: round(countMs), unit: 'ms' },
    ];
    report('redis-scan', rows);
  } finally {
    const deleted = await deleteUnder(client, prefix);
    console.log(`deleted ${deleted.toLocaleString('en')} bench keys`);
    client.disconnect();
  }
}

export {};
