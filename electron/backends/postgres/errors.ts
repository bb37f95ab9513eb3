/** Translates pg's errors (SQLSTATEs and socket errors) into AppErrors that say what to do. */
import { AppError } from '../../../shared/errors.js';
import { translateNetworkError } from '../network-errors.js';

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  database: string;
}

export function translatePostgresError(
  error: unknown,
  target: PostgresTarget,
  aborted = false,
): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const where = `${target.host}:${target.port}`;
  const make = (appCode: AppError['code'], message: string, hint?: string) =>
    new AppError(appCode, message, hint, { cause: error });
  switch (code) {
    case '28P01':
    case '28000':
      return make(
        'permission-denied',
        `PostgreSQL at ${where} refused user “${target.user}”: ${error.message}`,
        'Check the user name and password (or PGPASSWORD), and pg_hba.conf on the server.',
      );
    case '3D000':
      return make(
        'not-found',
        `PostgreSQL at ${where} has no database “${target.database}”`,
        'Check the database name in the connection, or create the database.',
      );
    case '42P01':
    case '3F000':
      return make('not-found', error.message);
    case '42501':
      return make('permission-denied', error.message, 'Ask for SELECT rights on this object.');
    case '57014':
      return aborted
        ? make('cancelled', 'Cancelled')
        : make(
            'unavailable',
            `PostgreSQL at ${where} took too long and the query was stopped`,
            'Narrow the view with a filter, or try again when the server is less busy.',
          );
  }
  const network = translateNetworkError(error, { ...target, product: 'PostgreSQL' }, code);
  if (network) return network;
  if (typeof code === 'string' && code.startsWith('22'))
    return make('invalid-input', error.message);
  // A row the table refuses (duplicate key, NOT NULL, CHECK): the data's fault, not the server's.
  if (typeof code === 'string' && code.startsWith('23')) {
    return make('invalid-input', `${error.message}${detailOf(error)}`);
  }
  // 57P01–57P03: the server (or an administrator) ended the session, e.g. pg_terminate_backend.
  if (typeof code === 'string' && code.startsWith('57P')) {
    return make(
      'unavailable',
      `The connection to ${where} was closed by the server: ${error.message}`,
      'Try again.',
    );
  }
  if (/Connection terminated/i.test(error.message)) {
    return make(
      'unavailable',
      `The connection to ${where} was lost: ${error.message}`,
      'Try again.',
    );
  }
  if (typeof code === 'string' && code.startsWith('08')) {
    return make('unavailable', `The connection to ${where} failed: ${error.message}`);
  }
  if (/timeout/i.test(error.message)) {
    return make(
      'unavailable',
      `Connecting to ${where} timed out`,
      'Check the host, port and network.',
    );
  }
  return make('query-failed', error.message);
}

/** The server's DETAIL line (which key, which value), when it sent one. */
function detailOf(error: Error): string {
  const detail = (error as { detail?: unknown }).detail;
  return typeof detail === 'string' && detail ? ` (${detail})` : '';
}
