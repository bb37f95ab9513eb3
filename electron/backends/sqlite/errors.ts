/** Translates SQLite's result codes into messages that say what happened and what to do. */
import { AppError } from '../../../shared/errors.js';

export function translateSqliteError(error: unknown, file?: string): unknown {
  if (error instanceof AppError) return error;
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (!(error instanceof Error) || typeof code !== 'string') return error;
  const where = file ? ` ${file}` : '';
  if (code === 'SQLITE_NOTADB') {
    return new AppError(
      'not-a-database',
      `The file${where} is not a SQLite database`,
      'Choose a .db or .sqlite file created by SQLite.',
      { cause: error },
    );
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_LOCKED')) {
    return new AppError(
      'locked',
      `The database${where} is locked by another program`,
      'Close the program holding it (or wait for its write to finish), then try again.',
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new AppError(
      'read-only',
      `The database${where} is read-only`,
      'Give Strata write access to the file and its folder, or copy it somewhere writable.',
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new AppError(
      'not-found',
      `Cannot open${where || ' the database'}`,
      'Check that the file exists and that its folder is readable.',
      { cause: error },
    );
  }
  if (code === 'SQLITE_INTERRUPT')
    return new AppError('cancelled', 'Cancelled', undefined, { cause: error });
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new AppError('not-a-database', `The database${where} is corrupt`, undefined, {
      cause: error,
    });
  }
  // What a write can run into: a row the table's constraints refuse, or no space left.
  if (
    code.startsWith('SQLITE_CONSTRAINT') ||
    code === 'SQLITE_MISMATCH' ||
    code === 'SQLITE_TOOBIG'
  ) {
    return new AppError('invalid-input', error.message, undefined, { cause: error });
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return new AppError(
      'unavailable',
      `Could not write${where}: ${error.message}`,
      'Check there is free space on the disk holding the file (and the temporary folder).',
      { cause: error },
    );
  }
  return new AppError('query-failed', error.message, undefined, { cause: error });
}
