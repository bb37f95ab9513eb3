/**
 * Opening a MongoClient for a saved connection, and the one wrapper every operation runs in:
 * a check for an already-aborted signal, and the driver's errors turned into AppErrors. Time is
 * bounded everywhere: 5 s to find a server, and `maxTimeMS` on each operation (the server stops
 * the work itself, unlike a client-side timeout that only stops waiting for it).
 */
import { MongoClient, type MongoClientOptions } from 'mongodb';
import { AppError } from '../../../shared/errors.js';
import type { QueryOptions } from '../backend.js';
import { translateMongoError, type MongoTarget } from './errors.js';
import { connectionString, hostsOf, userOf } from './url.js';

export interface MongoConfig {
  kind: 'mongodb';
  /** `mongodb://` or `mongodb+srv://`, without the password. */
  url: string;
  /** Only for URLs given on the command line; saved connections keep theirs in safeStorage. */
  password?: string | undefined;
  database?: string | undefined;
}

/** Server-side limit for reads (pages, counts, samples). */
export const maxTimeMS = 60_000;
/** Server-side limit for catalog reads (the tree), which should be quick. */
export const catalogMaxTimeMS = 10_000;

export function targetOf(config: MongoConfig): MongoTarget {
  return { hosts: hostsOf(config.url), user: userOf(config.url), database: config.database };
}

export function clientOptions(overrides: MongoClientOptions = {}): MongoClientOptions {
  return {
    appName: 'strata',
    // Without these a wrong host or port leaves the UI waiting 30 s for the driver's defaults.
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    maxPoolSize: 4,
    ...overrides,
  };
}

/** A connected client (server found and, with credentials, authenticated), or a translated error. */
export async function connectMongo(
  config: MongoConfig,
  overrides?: MongoClientOptions,
): Promise<MongoClient> {
  const target = targetOf(config);
  let client: MongoClient | undefined;
  try {
    client = new MongoClient(
      connectionString(config.url, config.password),
      clientOptions(overrides),
    );
    await client.connect();
    await client.db('admin').command({ ping: 1 }, { timeoutMS: catalogMaxTimeMS });
    return client;
  } catch (error) {
    await client?.close().catch(() => undefined);
    throw translateMongoError(error, target);
  }
}

/**
 * Runs one operation: cancelled before it starts if already aborted, errors translated. `work`
 * hands the signal to the driver, which on abort closes the operation's cursor (killCursors on
 * the server) and throws; `maxTimeMS` still bounds whatever the server was doing.
 */
export async function guarded<T>(
  target: MongoTarget,
  options: QueryOptions | undefined,
  work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const signal = options?.signal;
  if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
  try {
    return await work(signal);
  } catch (error) {
    throw translateMongoError(error, target, signal?.aborted ?? false);
  }
}
