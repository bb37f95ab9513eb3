/**
 * A SQLite table's fingerprint: the SHA-256 of its CREATE statement and of every page of its
 * b-tree (interior, leaf and overflow pages, in page-number order), read from the file inside a
 * read transaction. Equal bytes in the same pages are the same b-tree, so the same rows; any
 * write to the table rewrites at least one of its pages (a write that restores a page byte for
 * byte is the only way to change nothing). Other tables' pages are left out, so a write to them
 * does not count as a change. 1M demo rows (46 MB of pages): ~50 ms listing pages through
 * `dbstat`, ~70 ms reading and hashing them, against seconds to read the rows.
 *
 * Only where the file holds every committed page: a rollback-journal file (in WAL mode the
 * latest pages may be in the -wal file), in the main schema. Elsewhere: undefined.
 */
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { DatasetPath } from '../../../shared/model.js';
import { isFileAt } from './database-files.js';
import { readFileHeader } from './sqlite-pages.js';

/** Contiguous pages are read this many at a time. */
const runPages = 256;

/**
 * `fd` must have been opened on `file` before this call (database-files.ts): the connection
 * opened here then reads the same file, unless it was replaced since, which is checked.
 */
export function tableFingerprint(file: string, fd: number, path: DatasetPath): string | undefined {
  const [schema, name] = path.length === 1 ? ['main', path[0]!] : path;
  if (schema !== 'main' || name === undefined) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.exec('BEGIN');
    // The first read takes SHARED: no writer can commit until COMMIT, so the pages hold still.
    const entry = db
      .prepare("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?")
      .get(name) as { sql: string | null } | undefined;
    if (!entry || !isFileAt(fd, file)) return undefined;
    const header = readFileHeader(fd);
    if (!header) return undefined;
    const pages = db
      .prepare("SELECT pageno FROM dbstat('main') WHERE name = ? ORDER BY pageno")
      .pluck()
      .all(name) as number[];
    const { pageSize } = header;
    const hash = createHash('sha256').update(`strata-sqlite-pages-1\u0000${pageSize}\u0000`);
    hash.update(`${entry.sql ?? ''}\u0000`);
    const buffer = Buffer.alloc(runPages * pageSize);
    for (let i = 0; i < pages.length;) {
      let j = i + 1;
      while (j < pages.length && j - i < runPages && pages[j] === pages[j - 1]! + 1) j++;
      const length = (j - i) * pageSize;
      if (readSync(fd, buffer, 0, length, (pages[i]! - 1) * pageSize) !== length) return undefined;
      hash.update(pages.slice(i, j).join(','));
      hash.update(buffer.subarray(0, length));
      i = j;
    }
    return hash.digest('hex');
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    db.close();
  }
}
