/**
 * Translates mysql2's errors (server codes and socket errors) into AppErrors that say what to do.
 * Rows a table refuses (duplicate key, NULL, too long, out of range) are the data's fault:
 * `invalid-input`, like a value that does not parse.
 */
import { AppError } from '../../../shared/errors.js';
import { translateNetworkError } from '../network-errors.js';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  database?: string | undefined;
}

export function translateMysqlError(error: unknown, target: MysqlTarget): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const where = `${target.host}:${target.port}`;
  const make = (appCode: AppError['code'], message: string, hint?: string) =>
    new AppError(appCode, message, hint, { cause: error });
  switch (code) {
    // MariaDB answers an unknown user with ER_ACCESS_DENIED_NO_PASSWORD_ERROR, whatever the password.
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return make(
        'permission-denied',
        `MySQL at ${where} refused user “${target.user}”: ${error.message}`,
        'Check the user name and password (or MYSQL_PWD), and the user’s grants.',
      );
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
      return make('permission-denied', error.message, 'Ask for SELECT rights on this object.');
    case 'ER_BAD_DB_ERROR':
      return make(
        'not-found',
        `MySQL at ${where} has no database “${target.database ?? ''}”`,
        'Check the database name in the connection, or create the database.',
      );
    case 'ER_NO_SUCH_TABLE':
      return make('not-found', error.message);
    case 'PROTOCOL_CONNECTION_LOST':
      return make('unavailable', `The connection to ${where} was lost`, 'Try again.');
    case 'HANDSHAKE_NO_SSL_SUPPORT':
    case 'HANDSHAKE_SSL_ERROR':
      return make(
        'unavailable',
        `A TLS connection to ${where} failed: ${error.message}`,
        'Check whether the server offers TLS (turn ssl off or on to match) and that its certificate is trusted.',
      );
    case 'ER_TRUNCATED_WRONG_VALUE':
    case 'ER_WRONG_VALUE':
    case 'WARN_DATA_TRUNCATED':
    case 'ER_DUP_ENTRY':
    case 'ER_BAD_NULL_ERROR':
    case 'ER_DATA_TOO_LONG':
    case 'ER_WARN_DATA_OUT_OF_RANGE':
    case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
    case 'ER_NO_PARTITION_FOR_GIVEN_VALUE':
    case 'ER_TABLE_EXISTS_ERROR':
      return make('invalid-input', error.message);
    case 'ER_RECORD_FILE_FULL':
    case 'ER_DISK_FULL':
      return make('unavailable', error.message, 'Free some space on the server and try again.');
    case 'ER_LOCK_WAIT_TIMEOUT':
      return make(
        'locked',
        error.message,
        'Another session holds the table; try again when it is done.',
      );
  }
  return (
    translateNetworkError(error, { ...target, product: 'MySQL/MariaDB' }, code) ??
    make('query-failed', error.message)
  );
}
