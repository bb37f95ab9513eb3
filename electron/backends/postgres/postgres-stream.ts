/**
 * Streaming one read out of PostgreSQL with a cursor (pg-cursor, rows as arrays): the server
 * keeps the result, the client fetches `batchRows` at a time and asks for the next batch while
 * the consumer works on this one — one batch ahead, never more. Values are parsed as `query`
 * parses them (postgresTypeParsers: 64-bit integers, decimals and dates as text). Cancel asks the
 * server to stop the statement, as `query` does.
 */
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { AppError } from '../../../shared/errors.js';
import type { SqlEngine } from '../sql/server-engine.js';
import { translatePostgresError, type PostgresTarget } from './errors.js';
import { postgresTypeParsers } from './types.js';

export function postgresStream(pool: pg.Pool, target: PostgresTarget): SqlEngine['stream'] {
  return async function* (sql, params, { signal, batchRows }) {
    if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw translatePostgresError(error, target);
    }
    let pid: number | undefined;
    let cancelling: Promise<unknown> | undefined;
    const onAbort = () => {
      if (pid !== undefined) {
        cancelling = pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let cursor: Cursor<unknown[]> | undefined;
    let next: Promise<unknown[][]> | undefined;
    let broken = false;
    try {
      pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
      cursor = client.query(
        new Cursor<unknown[]>(sql, [...params], { rowMode: 'array', types: postgresTypeParsers() }),
      );
      const open = cursor;
      const read = () => {
        const reading = open.read(batchRows);
        reading.catch(() => undefined); // awaited below, or dropped when the consumer stops
        return reading;
      };
      next = read();
      for (;;) {
        const rows: unknown[][] = await next;
        next = rows.length === batchRows ? read() : undefined;
        if (rows.length > 0) yield rows;
        if (!next) return;
        if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
      }
    } catch (error) {
      broken = true;
      if (error instanceof AppError) throw error;
      throw translatePostgresError(error, target, signal?.aborted ?? false);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await next?.catch(() => undefined);
      await cursor?.close().catch(() => (broken = true));
      await cancelling;
      // A connection whose statement failed or was cancelled mid-cursor is not reused.
      client.release(broken);
    }
  };
}
