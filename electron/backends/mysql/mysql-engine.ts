/**
 * The MySQL/MariaDB engine: a small mysql2 pool on the main process's event loop, with a
 * timeout and cancellation that both stop the statement on the server with `KILL QUERY` sent
 * over a second connection (the same way on MySQL and MariaDB, whose own timeouts differ).
 */
import mysql from 'mysql2/promise';
import { AppError } from '../../../shared/errors.js';
import type { SqlEngine } from '../sql/server-engine.js';
import { mysqlLookup, mysqlTree } from './catalog.js';
import { mysqlDialect } from './dialect.js';
import { mysqlRangeChecksums } from './range-checksum.js';
import { mysqlStream } from './mysql-stream.js';
import { translateMysqlError, type MysqlTarget } from './errors.js';

export interface MysqlOptions extends MysqlTarget {
  password?: string | undefined;
  ssl?: boolean | undefined;
  statementTimeout?: number;
}

const poolSize = 4;
const defaultStatementTimeout = 60_000;
const connectTimeout = 10_000;

export function connectionOptions(options: MysqlOptions): mysql.ConnectionOptions {
  return {
    host: options.host,
    port: options.port,
    user: options.user,
    ...(options.password ? { password: options.password } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
    connectTimeout,
    // 64-bit integers and decimals as the server's text, dates as text: nothing is rounded or
    // shifted into the local time zone on the way to the grid.
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    // JSON as the server's text too: parsed, a JSON string "a" would come back as a bare a.
    jsonStrings: true,
    charset: 'utf8mb4',
    typeCast: exactDoubles,
  };
}

/**
 * mysql2 reads a DOUBLE of up to 17 characters by accumulating digits in a double, which is off
 * by one unit in the last place for numbers past 2^53 digits (910.8663350923903 read back as
 * …904, 967633697378085.9 as 967633697378086: found by the writer's encoding property test).
 * The server's text is the shortest exact form; Number() of it is the double that was stored.
 */
const exactDoubles: mysql.TypeCast = (field, next) => {
  if (field.type !== 'DOUBLE') return next();
  const text = field.string();
  return text === null ? null : Number(text);
};

export function createMysqlEngine(options: MysqlOptions): SqlEngine {
  const pool = mysql.createPool({ ...connectionOptions(options), connectionLimit: poolSize });
  const timeout = options.statementTimeout ?? defaultStatementTimeout;

  const query: SqlEngine['query'] = async (sql, params, queryOptions) => {
    const signal = queryOptions?.signal;
    if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
    let connection: mysql.PoolConnection;
    try {
      connection = await pool.getConnection();
    } catch (error) {
      throw translateMysqlError(error, options);
    }
    let running = true;
    let stopped: 'cancelled' | 'timeout' | undefined;
    let killing: Promise<unknown> | undefined;
    const stop = (why: 'cancelled' | 'timeout') => {
      if (!running || stopped) return;
      stopped = why;
      // The connection is held until the KILL lands, so it can never hit a later query.
      killing = pool.query(`KILL QUERY ${Number(connection.threadId)}`).catch(() => undefined);
    };
    const onAbort = () => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => stop('timeout'), timeout);
    const stoppedError = (cause?: unknown) =>
      stopped === 'cancelled'
        ? new AppError('cancelled', 'Cancelled', undefined, { cause })
        : new AppError(
            'unavailable',
            `${options.host}:${options.port} took longer than ${timeout / 1000}s and the query was stopped`,
            'Narrow the view with a filter, or try again when the server is less busy.',
            { cause },
          );
    try {
      const [rows] = await connection.query({ sql, values: [...params], rowsAsArray: true });
      // A killed SLEEP() (and some other killed work) returns normally, with partial results.
      if (stopped) throw stoppedError();
      return rows as unknown[][];
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw stopped ? stoppedError(error) : translateMysqlError(error, options);
    } finally {
      running = false;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      await killing;
      connection.release();
    }
  };

  return {
    dialect: mysqlDialect,
    rangeChecksums: mysqlRangeChecksums,
    query,
    stream: mysqlStream(pool, options),
    tree: (queryOptions) => mysqlTree(query, queryOptions),
    lookup: (path, queryOptions) => mysqlLookup(query, path, options.database, queryOptions),
    close: () => pool.end(),
  };
}
