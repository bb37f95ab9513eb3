/**
 * Translates ioredis errors (server replies such as WRONGPASS, socket errors, its own "Connection
 * is closed.") into AppErrors that say what happened and what to do. ioredis often rejects with
 * a bare "Connection is closed." while the real reason went to its 'error' event, so callers pass
 * that last connection error along as `reason`.
 */
import { AppError } from '../../../shared/errors.js';
import { translateNetworkError } from '../network-errors.js';

export interface RedisTarget {
  host: string;
  port: number;
  user?: string | undefined;
}

/** Messages ioredis uses for "the socket is not there right now". */
const lostConnection =
  /Connection is closed|Stream isn't writeable|max retries per request|Connection reset|EPIPE|ECONNRESET|socket (hang up|closed)/i;

export function translateRedisError(error: unknown, target: RedisTarget, reason?: Error): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const where = `${target.host}:${target.port}`;
  // A closed-connection rejection says nothing; the last 'error' event says why it closed.
  const cause = reason && lostConnection.test(error.message) ? reason : error;
  const code = (cause as { code?: unknown }).code;
  const message = cause.message;
  const make = (appCode: AppError['code'], text: string, hint?: string) =>
    new AppError(appCode, text, hint, { cause: error });
  const user = target.user ?? 'default';

  if (/^WRONGPASS|invalid password|invalid username-password/i.test(message)) {
    return make(
      'permission-denied',
      `Redis at ${where} refused user “${user}”: ${message}`,
      'Check the user name and password (or REDISCLI_AUTH).',
    );
  }
  if (/^NOAUTH/.test(message)) {
    return make(
      'permission-denied',
      `Redis at ${where} needs a password: ${message}`,
      'Give the password in the connection (or REDISCLI_AUTH).',
    );
  }
  if (/^NOPERM/.test(message)) {
    return make(
      'permission-denied',
      `Redis user “${user}” at ${where} may not do this: ${message}`,
      'Ask for read rights (e.g. +@read +@keyspace) on these keys in the user’s ACL.',
    );
  }
  if (/DB index is out of range/i.test(message)) {
    return make(
      'not-found',
      `Redis at ${where} has no such logical database: ${message}`,
      'Check the database number; the server’s `databases` setting limits how many exist.',
    );
  }
  if (/^LOADING/.test(message)) {
    return make('unavailable', `Redis at ${where} is still loading its data`, 'Try again shortly.');
  }
  const network = translateNetworkError(
    cause,
    { ...target, product: 'Redis', tlsSwitch: 'rediss://, or redis:// without' },
    code,
  );
  if (network) return network;
  if (/Command timed out/i.test(message)) {
    return make(
      'unavailable',
      `Redis at ${where} did not answer in time`,
      'The server may be busy or the network down; try again.',
    );
  }
  if (lostConnection.test(message)) {
    return make(
      'unavailable',
      `Lost the connection to Redis at ${where}`,
      'Strata reconnects by itself; try again once the server is back.',
    );
  }
  if (/^WRONGTYPE/.test(message)) {
    return make('query-failed', `A key changed type while it was being read: ${message}`);
  }
  return make('query-failed', `Redis at ${where}: ${message}`);
}
