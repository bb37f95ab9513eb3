/**
 * Open readers on finished cache files, per worker thread: each is the SQLite engine's own reader
 * (paging through materialised views, counts, cells), pointed at the cache's one table.
 */
import { SqliteReader } from '../sqlite/sqlite-reader.js';

const maxOpen = 8;
const readers = new Map<string, SqliteReader>();

export const cachePath = ['main', 'data'];

export function cacheReader(file: string): SqliteReader {
  let reader = readers.get(file);
  if (reader) {
    readers.delete(file);
  } else {
    reader = new SqliteReader(file);
    while (readers.size >= maxOpen) {
      const [oldest, old] = readers.entries().next().value as [string, SqliteReader];
      old.close();
      readers.delete(oldest);
    }
  }
  readers.set(file, reader);
  return reader;
}

export function dropReader(file: string): void {
  readers.get(file)?.close();
  readers.delete(file);
}
