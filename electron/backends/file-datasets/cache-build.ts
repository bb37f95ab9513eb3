/**
 * Imports a dataset into a SQLite file once, so deep pages, counts, sorts and filters on a big
 * file are answered by SQLite (through the same SqliteReader and SQL builder as the SQLite
 * engine) instead of re-reading the file. Rows stream in batches inside one transaction; memory
 * follows the batch. The file is written beside its final name and renamed when complete, so a
 * reader never sees half a cache, and a cache from an earlier run is reused as it is.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { LogicalType } from '../../../shared/model.js';
import { sqliteDialect } from '../sqlite/dialect.js';
import type { ColumnsInfo, DatasetSpec } from './dataset.js';
import { datasetRows } from './rows.js';
import type { FileSource } from './source.js';
import { bindValue, type Bindable, type DataColumn } from './values.js';

export interface CacheSummary {
  file: string;
  rows: number;
  /** The columns with nullability as the whole dataset has it, and the key if it held. */
  info: ColumnsInfo;
}

/** Declared so that the SQLite engine's type mapping reads back the same logical types. */
const declaredTypes: Record<LogicalType, string> = {
  integer: 'INTEGER',
  bigint: 'BIGINT',
  decimal: 'DECIMAL',
  float: 'REAL',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  text: 'TEXT',
  json: 'JSON',
  blob: 'BLOB',
  unknown: 'TEXT',
};

const q = sqliteDialect.quoteIdent;
const batchRows = 5_000;

export function createTable(db: Database.Database, columns: readonly DataColumn[]): void {
  const defs = columns.map((c) => `${q(c.name)} ${declaredTypes[c.type]}`);
  db.exec(`CREATE TABLE data (${defs.join(', ')})`);
  db.exec('CREATE TABLE strata_meta (summary TEXT NOT NULL)');
}

/** Opens a fresh temporary file for a cache being written. */
export function openForWrite(file: string): { db: Database.Database; temp: string } {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const db = new Database(temp);
  // A cache can always be rebuilt from its files: durability is not worth a single fsync.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -65536');
  return { db, temp };
}

export function finish(
  db: Database.Database,
  temp: string,
  file: string,
  summary: Omit<CacheSummary, 'file'>,
): CacheSummary {
  db.prepare('INSERT INTO strata_meta (summary) VALUES (?)').run(JSON.stringify(summary));
  db.close();
  renameSync(temp, file);
  return { ...summary, file };
}

/** The summary of a cache already on disk, or undefined when there is none (or it is unreadable). */
export function existingCache(file: string): CacheSummary | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT summary FROM strata_meta').pluck().get() as string | undefined;
      return row ? { ...(JSON.parse(row) as Omit<CacheSummary, 'file'>), file } : undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

export async function buildCache(
  source: FileSource,
  spec: DatasetSpec,
  info: ColumnsInfo,
  file: string,
): Promise<CacheSummary> {
  const existing = existingCache(file);
  if (existing) return existing;
  const { db, temp } = openForWrite(file);
  try {
    const columns = info.columns;
    createTable(db, columns);
    const insert = db.prepare(`INSERT INTO data VALUES (${columns.map(() => '?').join(', ')})`);
    const nulls = columns.map(() => 0);
    let rows = 0;
    let pending: unknown[][] = [];
    const flush = () => {
      const bound: Bindable[] = new Array<Bindable>(columns.length);
      for (const row of pending) {
        for (let i = 0; i < columns.length; i++) {
          const value = bindValue(row[i], columns[i]!);
          if (value === null) nulls[i]!++;
          bound[i] = value;
        }
        insert.run(bound);
      }
      rows += pending.length;
      pending = [];
    };
    db.exec('BEGIN');
    for await (const batch of datasetRows(source, spec, info, { skip: 0, limit: undefined })) {
      for (const row of batch) pending.push(row);
      if (pending.length >= batchRows) flush();
    }
    flush();
    db.exec('COMMIT');
    const verified: ColumnsInfo = {
      ...info,
      columns: columns.map((c, i) => ({ ...c, nullable: c.nullable || nulls[i]! > 0 })),
      key: uniqueKey(db, info.key),
    };
    return finish(db, temp, file, { rows, info: verified });
  } catch (error) {
    if (db.open) db.close();
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The key if its values are unique over the whole dataset (its index then serves lookups too). */
function uniqueKey(db: Database.Database, key: readonly string[]): string[] {
  if (key.length === 0) return [];
  try {
    db.exec(`CREATE UNIQUE INDEX data_key ON data (${key.map(q).join(', ')})`);
    const nullKeys = db
      .prepare(`SELECT count(*) FROM data WHERE ${key.map((k) => `${q(k)} IS NULL`).join(' OR ')}`)
      .pluck()
      .get() as number;
    return nullKeys === 0 ? [...key] : [];
  } catch {
    return [];
  }
}
