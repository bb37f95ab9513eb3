/**
 * Streaming one read out of MySQL/MariaDB: mysql2's streaming query (rows as arrays), which
 * pauses the socket when the consumer falls behind, so the server's rows wait in the server and
 * memory holds about one batch. Values are parsed as `query` parses them (connectionOptions: big
 * integers, decimals and dates as text). Cancel sends `KILL QUERY` from another connection; a
 * connection left mid-result (cancelled, failed, or abandoned by its consumer) is closed, not
 * reused. No statement timeout: a scan of a large table legitimately runs for minutes.
 */
import type { Readable } from 'node:stream';
import type { Connection as CoreConnection } from 'mysql2';
import type mysql from 'mysql2/promise';
import { AppError } from '../../../shared/errors.js';
import type { SqlEngine } from '../sql/server-engine.js';
import { translateMysqlError, type MysqlTarget } from './errors.js';

export function mysqlStream(pool: mysql.Pool, target: MysqlTarget): SqlEngine['stream'] {
  return async function* (sql, params, { signal, batchRows }) {
    if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
    let connection: mysql.PoolConnection;
    try {
      connection = await pool.getConnection();
    } catch (error) {
      throw translateMysqlError(error, target);
    }
    let killing: Promise<unknown> | undefined;
    const onAbort = () => {
      killing = pool.query(`KILL QUERY ${Number(connection.threadId)}`).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // The callback connection under the promise wrapper: only it has streaming queries.
    const core = connection.connection as unknown as CoreConnection;
    const rows: Readable = core
      .query({ sql, values: [...params], rowsAsArray: true })
      .stream({ highWaterMark: batchRows });
    let finished = false;
    try {
      let batch: unknown[][] = [];
      for await (const row of rows) {
        batch.push(row as unknown[]);
        if (batch.length < batchRows) continue;
        yield batch;
        batch = [];
        if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
      }
      // A killed query can end its stream normally, with part of the rows.
      if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
      if (batch.length > 0) yield batch;
      finished = true;
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (signal?.aborted)
        throw new AppError('cancelled', 'Cancelled', undefined, { cause: error });
      throw translateMysqlError(error, target);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await killing;
      if (finished) connection.release();
      else {
        rows.destroy();
        connection.destroy();
      }
    }
  };
}
