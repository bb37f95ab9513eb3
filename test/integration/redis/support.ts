/**
 * The Redis server integration tests use: `REDIS_URL`, or the machine's own on 127.0.0.1:6379.
 * Each test run writes under a key prefix of its own (`strata-test:<random>:`) in a logical
 * database of its choosing, and deletes exactly those keys afterwards (SCAN + UNLINK on the
 * prefix, never FLUSHDB, which would take other people's keys too). A server that cannot be
 * reached yields a reason for skipping, loudly.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisConfig } from '../../../electron/backends/redis/connection.js';
import { configFromUrl } from '../../../electron/backends/registry.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';

export function redisServer(db?: number): RedisConfig {
  const config = configFromUrl(redisUrl);
  if (config?.kind !== 'redis') throw new Error(`REDIS_URL is not a redis:// URL: ${redisUrl}`);
  return db === undefined ? config : { ...config, db };
}

/** An ioredis client for setting up fixtures, on the test server's database `db`. */
export function rawClient(db: number): Redis {
  const { host, port, user, password, tls } = redisServer();
  return new Redis({
    host,
    port,
    db,
    ...(user ? { username: user } : {}),
    ...(password ? { password } : {}),
    ...(tls ? { tls: {} } : {}),
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    lazyConnect: true,
  });
}

/** Undefined when Redis answers; otherwise why the Redis tests are skipped. */
export async function redisAvailable(): Promise<string | undefined> {
  const client = rawClient(0);
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${redisUrl} is unreachable (${(error as Error).message}); set REDIS_URL`;
  } finally {
    client.disconnect();
  }
}

export interface TestKeyspace {
  db: number;
  /** `strata-test:<random>:`, unique to this run. */
  prefix: string;
  config: RedisConfig;
  client: Redis;
  /** Deletes every key under the prefix and disconnects. */
  cleanup(): Promise<void>;
}

export async function testKeyspace(db: number): Promise<TestKeyspace> {
  const prefix = `strata-test:${Date.now().toString(36)}${randomBytes(3).toString('hex')}:`;
  const client = rawClient(db);
  await client.connect();
  return {
    db,
    prefix,
    config: redisServer(db),
    client,
    cleanup: async () => {
      await deleteUnder(client, prefix);
      client.disconnect();
    },
  };
}

export async function deleteUnder(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1_000);
    if (keys.length > 0) deleted += await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
