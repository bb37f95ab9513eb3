/**
 * The PostgreSQL engine: a small pg.Pool on the main process's event loop (pg is asynchronous,
 * so a slow query never blocks it), a server-side statement_timeout on every connection, and
 * cancellation that asks the server to stop the running statement from a second connection.
 */
import pg from 'pg';
import { AppError } from '../../../shared/errors.js';
import type { SqlEngine, SqlParam } from '../sql/server-engine.js';
import { postgresLookup, postgresTree } from './catalog.js';
import { postgresDialect } from './dialect.js';
import { postgresRangeChecksums } from './range-checksum.js';
import { postgresStream } from './postgres-stream.js';
import { translatePostgresError, type PostgresTarget } from './errors.js';
import { postgresTypeParsers } from './types.js';

export interface PostgresOptions extends PostgresTarget {
  password?: string | undefined;
  ssl?: boolean | undefined;
  /** Milliseconds a statement may run before the server stops it. */
  statementTimeout?: number;
}

const poolSize = 4;
const defaultStatementTimeout = 60_000;
const connectTimeout = 10_000;

export function poolConfig(options: PostgresOptions, max = poolSize): pg.PoolConfig {
  return {
    host: options.host,
    port: options.port,
    user: options.user,
    database: options.database,
    // An empty password makes pg skip the variable, so PGPASSWORD (or trust auth) still applies.
    ...(options.password ? { password: options.password } : {}),
    ssl: options.ssl ? { rejectUnauthorized: true } : false,
    max,
    connectionTimeoutMillis: connectTimeout,
    statement_timeout: options.statementTimeout ?? defaultStatementTimeout,
    application_name: 'strata',
    types: postgresTypeParsers(),
  };
}

export function createPostgresEngine(options: PostgresOptions): SqlEngine {
  const pool = new pg.Pool(poolConfig(options));
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const pids = new WeakMap<pg.PoolClient, number>();

  const query: SqlEngine['query'] = async (sql, params, queryOptions) => {
    const signal = queryOptions?.signal;
    if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw translatePostgresError(error, options);
    }
    let cancelling: Promise<unknown> | undefined;
    let running = true;
    const onAbort = () => {
      const pid = pids.get(client);
      // The client is held until the cancel lands, so it can never hit a later query.
      if (running && pid !== undefined) {
        cancelling = pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
      }
    };
    try {
      if (!pids.has(client)) {
        const result = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        pids.set(client, result.rows[0]!.pid);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
      const result = await client.query<unknown[]>({
        text: sql,
        values: params as SqlParam[],
        rowMode: 'array',
      });
      return result.rows;
    } catch (error) {
      throw translatePostgresError(error, options, signal?.aborted ?? false);
    } finally {
      running = false;
      signal?.removeEventListener('abort', onAbort);
      await cancelling;
      client.release();
    }
  };

  return {
    dialect: postgresDialect,
    rangeChecksums: postgresRangeChecksums,
    query,
    stream: postgresStream(pool, options),
    tree: (queryOptions) => postgresTree(query, queryOptions),
    lookup: (path, queryOptions) => postgresLookup(query, path, options.database, queryOptions),
    close: () => pool.end(),
  };
}
