/**
 * Checks a file before it is saved as a SQLite connection, without changing it: it must exist, be
 * a SQLite database, be readable now (not held by another program's exclusive lock) and, unless
 * the connection is to be read-only, be writable.
 */
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { translateSqliteError } from './errors.js';

const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

export async function checkSqliteFile(file: string, options: { readOnly: boolean }): Promise<void> {
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      throw new AppError(
        'not-found',
        `No such file: ${file}`,
        'Check the path, or pick the file again.',
      );
    }
    throw error;
  });
  if (stat.isDirectory()) {
    throw new AppError(
      'invalid-input',
      `${file} is a folder, not a SQLite file`,
      'Choose a .db or .sqlite file.',
    );
  }
  if (stat.size > 0) await checkHeader(file);
  if (!options.readOnly) await checkWritable(file);
  checkReadableNow(file);
}

async function checkHeader(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const header = Buffer.alloc(sqliteHeader.length);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    if (bytesRead < header.length || !header.equals(sqliteHeader)) {
      throw new AppError(
        'not-a-database',
        `${path.basename(file)} is not a SQLite database`,
        'Choose a file created by SQLite (it starts with “SQLite format 3”).',
      );
    }
  } finally {
    await handle.close();
  }
}

async function checkWritable(file: string): Promise<void> {
  // Opening for writing (and closing at once) is what tells, for root and immutable files too.
  const handle = await fs.open(file, constants.O_RDWR).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS') {
      throw new AppError(
        'read-only',
        `${file} is read-only`,
        'Make the file writable, or add it as a read-only connection.',
      );
    }
    throw error;
  });
  await handle.close();
}

function checkReadableNow(file: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 200 });
    db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
  } catch (error) {
    throw translateSqliteError(error, file);
  } finally {
    db?.close();
  }
}
