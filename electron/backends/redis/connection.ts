/**
 * The Redis connections of one Strata connection: one ioredis client per logical database
 * (SELECT is per connection, so sharing one client between databases would race), opened on
 * first use. Every command goes through `run`, which translates errors and honours cancellation.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { AppError } from '../../../shared/errors.js';
import { translateRedisError } from './errors.js';

export interface RedisConfig {
  kind: 'redis';
  host: string;
  port: number;
  /** The logical database the connection starts in (default 0). */
  db?: number | undefined;
  user?: string | undefined;
  /** Only for URLs from the command line; saved passwords are kept apart, encrypted. */
  password?: string | undefined;
  tls?: boolean | undefined;
  /** Restricts the tree's namespace sample to keys matching this glob (e.g. `app:*`). */
  keyPattern?: string | undefined;
}

export const connectTimeout = 5_000;
/** Long enough for a SCAN step or a pipelined page; short enough that a hung server shows. */
const commandTimeout = 20_000;

export function clientOptions(config: RedisConfig, db: number): RedisOptions {
  return {
    host: config.host,
    port: config.port,
    db,
    ...(config.user ? { username: config.user } : {}),
    ...(config.password ? { password: config.password } : {}),
    ...(config.tls ? { tls: { servername: config.host } } : {}),
    // RESP2 works with every server version and keeps replies as flat arrays.
    protocol: 2,
    lazyConnect: true,
    connectTimeout,
    commandTimeout,
    // Without an offline queue a command on a dropped connection fails at once (and is reported
    // as `unavailable`) instead of waiting; reconnection goes on in the background forever, with a
    // bounded delay, so the connection recovers by itself when the server is back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
    connectionName: 'strata',
  };
}

export interface Client {
  redis: Redis;
  /** The last error the client reported on its 'error' event: the reason behind "closed". */
  lastError?: Error;
}

export class RedisConnection {
  private readonly clients = new Map<number, Promise<Client>>();

  constructor(readonly config: RedisConfig) {}

  get defaultDb(): number {
    return this.config.db ?? 0;
  }

  /** Runs `work` on database `db`'s client; errors arrive as AppErrors. */
  async run<T>(db: number, work: (redis: Redis) => Promise<T>, signal?: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    const client = await this.client(db);
    try {
      return await abortable(work(client.redis), signal);
    } catch (error) {
      throw translateRedisError(error, this.config, client.lastError);
    }
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(
      clients.map(async (pending) => {
        const client = await pending.catch(() => undefined);
        client?.redis.disconnect();
      }),
    );
  }

  private client(db: number): Promise<Client> {
    let pending = this.clients.get(db);
    if (!pending) {
      pending = openClient(this.config, db);
      // A failed open is forgotten, so the next call tries again rather than failing forever.
      pending.catch(() => this.clients.delete(db));
      this.clients.set(db, pending);
    }
    return pending;
  }
}

/**
 * Connects one client to `db`, checking the database exists (ioredis only logs a bad SELECT).
 * `overrides` adjust the options for a client of special use (the writer's, with longer waits).
 */
export async function openClient(
  config: RedisConfig,
  db: number,
  overrides: Partial<RedisOptions> = {},
): Promise<Client> {
  const redis = new Redis({ ...clientOptions(config, db), ...overrides });
  const client: Client = { redis };
  // An error event with no listener would crash the process; keep it as the reason instead.
  redis.on('error', (error: Error) => {
    client.lastError = error;
  });
  // Once reconnected, an old failure is no longer the reason for anything.
  redis.on('ready', () => {
    delete client.lastError;
  });
  try {
    await redis.connect();
    // ioredis selects `db` on every (re)connect but only logs a refusal; this makes it fail.
    if (db !== 0) await redis.select(db);
  } catch (error) {
    redis.disconnect();
    if (error instanceof Error && /DB index is out of range/i.test(error.message)) {
      throw new AppError(
        'not-found',
        `Redis at ${config.host}:${config.port} has no logical database ${db}`,
        'Check the database number; the server’s `databases` setting says how many exist.',
        { cause: error },
      );
    }
    throw translateRedisError(error, config, client.lastError);
  }
  return client;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
}

/**
 * Redis cannot stop a command once sent; cancelling stops waiting for it. Commands here are
 * short steps (a SCAN batch, a pipelined page), so the work left behind is small.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AppError('cancelled', 'Cancelled'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** `RedisConnection.run` bound to one logical database. */
export type DbRun = <T>(work: (redis: Redis) => Promise<T>, signal?: AbortSignal) => Promise<T>;

export function runIn(connection: RedisConnection, db: number): DbRun {
  return (work, signal) => connection.run(db, work, signal);
}
