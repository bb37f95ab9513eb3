/**
 * A diff's changes on disk: one row per change in a temporary SQLite file, so millions of changes
 * page and filter by SQL without living in memory. Rows are stored in the canonical row encoding
 * (exact: bigints, bytes and long text come back whole, for exports) aligned to the diff's union
 * of columns; `change_columns` indexes which columns changed, for "only rows where X changed".
 * The file is temporary: no journal, no fsync; it is deleted by `close`, or at the next start.
 */
import Database from 'better-sqlite3';
import type { ChangeKind } from '../../shared/diff.js';
import type { RowValue } from '../backends/scan.js';
import { decodeRows, RowWriter } from '../versions/canonical.js';

export interface StoredChange {
  index: number;
  kind: ChangeKind;
  key: RowValue[];
  old?: RowValue[];
  new?: RowValue[];
  changed: number[];
  count?: number;
}

export interface ChangeFilter {
  kinds?: readonly ChangeKind[] | undefined;
  /** Indices of union columns: changed rows where one of them changed (added/removed pass). */
  columns?: readonly number[] | undefined;
}

const kindCode: Record<ChangeKind, number> = { added: 1, removed: 2, changed: 3 };
const kindOf = ['', 'added', 'removed', 'changed'] as const;

interface ChangeRecord {
  idx: number;
  kind: number;
  key: Buffer;
  old: Buffer | null;
  new: Buffer | null;
  changed: string;
  count: number | null;
}

export class ChangeStore {
  private readonly db: Database.Database;
  private readonly writer = new RowWriter(1 << 12);
  private pending: unknown[][] = [];
  private next = 0;
  private readonly totals = new Map<string, number>();

  private keyWidth = 0;
  private width = 0;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS changes (
        idx INTEGER PRIMARY KEY, kind INTEGER NOT NULL, key BLOB NOT NULL,
        old BLOB, new BLOB, changed TEXT NOT NULL, count INTEGER);
      CREATE TABLE IF NOT EXISTS change_columns (
        col INTEGER NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (col, idx)) WITHOUT ROWID;`);
  }

  /** Cells in a key and in a row (the diff's union of columns), once the diff is planned. */
  setShape(keyWidth: number, width: number): void {
    this.keyWidth = keyWidth;
    this.width = width;
  }

  get size(): number {
    return this.next;
  }

  add(change: Omit<StoredChange, 'index'>): void {
    this.pending.push([
      this.next++,
      kindCode[change.kind],
      this.encode(change.key),
      change.old ? this.encode(change.old) : null,
      change.new ? this.encode(change.new) : null,
      JSON.stringify(change.changed),
      change.count ?? null,
      change.kind === 'changed' ? change.changed : [],
    ]);
    if (this.pending.length >= 2_000) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const insert = this.db.prepare(
      'INSERT INTO changes (idx, kind, key, old, new, changed, count) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insertColumn = this.db.prepare('INSERT INTO change_columns (col, idx) VALUES (?, ?)');
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const row of rows) {
        insert.run(row.slice(0, 7));
        for (const col of row[7] as number[]) insertColumn.run(col, row[0]);
      }
    })();
  }

  /** Changes matching the filter, in order, from the `offset`-th match. */
  page(filter: ChangeFilter, offset: number, limit: number): StoredChange[] {
    this.flush();
    const { where, params } = this.where(filter);
    // Unfiltered, `idx` is the position: a range read instead of skipping `offset` rows.
    const sql = where
      ? `SELECT * FROM changes WHERE ${where} ORDER BY idx LIMIT ? OFFSET ?`
      : 'SELECT * FROM changes WHERE idx >= ? ORDER BY idx LIMIT ?';
    const args = where ? [...params, limit, offset] : [offset, limit];
    return (this.db.prepare(sql).all(...args) as ChangeRecord[]).map((r) => this.decode(r));
  }

  total(filter: ChangeFilter): number {
    this.flush();
    const { where, params } = this.where(filter);
    if (!where) return this.next;
    const cacheKey = where + JSON.stringify(params);
    let total = this.totals.get(cacheKey);
    if (total === undefined) {
      const row = this.db
        .prepare(`SELECT count(*) AS n FROM changes WHERE ${where}`)
        .get(...params);
      total = (row as { n: number }).n;
      this.totals.set(cacheKey, total);
    }
    return total;
  }

  /** The index of the next (or previous) matching change past `from`. */
  find(filter: ChangeFilter, from: number, direction: 'next' | 'previous'): number | null {
    this.flush();
    const { where, params } = this.where(filter);
    const sql =
      direction === 'next'
        ? `SELECT idx FROM changes WHERE idx > ? ${where ? `AND ${where}` : ''} ORDER BY idx LIMIT 1`
        : `SELECT idx FROM changes WHERE idx < ? ${where ? `AND ${where}` : ''} ORDER BY idx DESC LIMIT 1`;
    const row = this.db.prepare(sql).get(from, ...params) as { idx: number } | undefined;
    return row?.idx ?? null;
  }

  /** Every change in order, in batches (for exports). */
  *all(batch = 2_000): Generator<StoredChange[]> {
    this.flush();
    const select = this.db.prepare('SELECT * FROM changes WHERE idx >= ? ORDER BY idx LIMIT ?');
    for (let from = 0; ; from += batch) {
      const rows = select.all(from, batch) as ChangeRecord[];
      if (rows.length === 0) return;
      yield rows.map((r) => this.decode(r));
    }
  }

  close(): void {
    this.db.close();
  }

  private where(filter: ChangeFilter): { where: string; params: number[] } {
    const clauses: string[] = [];
    const params: number[] = [];
    if (filter.kinds && filter.kinds.length < 3) {
      clauses.push(`kind IN (${filter.kinds.map(() => '?').join(',') || 'NULL'})`);
      params.push(...filter.kinds.map((k) => kindCode[k]));
    }
    if (filter.columns) {
      clauses.push(
        `(kind <> 3 OR idx IN (SELECT idx FROM change_columns WHERE col IN (${
          filter.columns.map(() => '?').join(',') || 'NULL'
        })))`,
      );
      params.push(...filter.columns);
    }
    return { where: clauses.join(' AND '), params };
  }

  private encode(row: readonly RowValue[]): Buffer {
    this.writer.writeRow(row);
    return this.writer.take();
  }

  private decode(record: ChangeRecord): StoredChange {
    const change: StoredChange = {
      index: record.idx,
      kind: kindOf[record.kind] as ChangeKind,
      key: decodeRows(record.key, this.keyWidth, 'a diff change')[0] ?? [],
      changed: JSON.parse(record.changed) as number[],
    };
    if (record.old) change.old = decodeRows(record.old, this.width, 'a diff change')[0]!;
    if (record.new) change.new = decodeRows(record.new, this.width, 'a diff change')[0]!;
    if (record.count !== null) change.count = record.count;
    return change;
  }
}
