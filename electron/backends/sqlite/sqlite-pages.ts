/**
 * Reading a rowid table straight from the database file's pages, in rowid order, into the
 * canonical row encoding: the fast path of a whole-table SQLite scan.
 *
 * Why: stepping a statement through better-sqlite3 makes a JS value of every cell (a string, a
 * BigInt) only for the encoder to turn it back into bytes; on the demo's 1M-row `sales` that
 * was 2.2 of the scan's 2.9 s, while SQLite itself reads the table in 0.27 s. A table's record
 * already holds each value as bytes (text as UTF-8, integers big-endian), so here the bytes go
 * to bytes, and no value is made in JS except a float's.
 *
 * Only where it is exact (`filePageScanPlan` says when): a rowid table ordered by its
 * `INTEGER PRIMARY KEY` (the b-tree's own order), a UTF-8 file in rollback-journal mode (no WAL:
 * committed pages are all in the file), no generated columns. The caller holds a read
 * transaction for the whole walk, so SQLite's SHARED lock keeps every writer from changing the
 * file meanwhile: the pages read are one consistent state, the statement's state.
 *
 * The file format: https://www.sqlite.org/fileformat2.html (b-tree pages, cells, overflow
 * pages, records and their serial types).
 */
import { fstatSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { RowWriter } from '../../versions/canonical.js';
import type { RowValue } from '../scan.js';
import type { SqliteScanSpec } from './sqlite-scan-query.js';

/** What the walk needs to know of the table, worked out with SQL before it starts. */
export interface FilePageTable {
  rootPage: number;
  /** For each output column (the scan's column order): its field in the record. */
  fields: number[];
  /** The record field of the `INTEGER PRIMARY KEY` column: stored as NULL, its value is the rowid. */
  rowidField: number;
  /** Output columns whose 0/1 integers are false/true (as the scan's boolean columns are). */
  booleans: boolean[];
  /** Per record field: the value a record too short to hold it has (ALTER TABLE ADD COLUMN). */
  defaults: RowValue[];
}

/** The header fields of page 1 the walk needs; `undefined` when the fast path does not apply. */
export interface FileHeader {
  pageSize: number;
  /** Bytes of each page the b-tree uses (the page size less the reserved bytes at its end). */
  usable: number;
}

export function readFileHeader(fd: number): FileHeader | undefined {
  const head = Buffer.alloc(100);
  if (readSync(fd, head, 0, 100, 0) < 100) return undefined;
  if (head.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') return undefined;
  const rawSize = head.readUInt16BE(16);
  const pageSize = rawSize === 1 ? 65536 : rawSize;
  // Versions 1/1: rollback journal (2/2 is WAL, whose latest pages are not in this file).
  if (head[18] !== 1 || head[19] !== 1) return undefined;
  if (head.readUInt32BE(56) !== 1) return undefined; // text is UTF-8
  return { pageSize, usable: pageSize - head[20]! };
}

interface ColumnInfo {
  name: string;
  type: string;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

/**
 * The table as the page walk needs it, read with SQL (inside the caller's read transaction);
 * undefined where the walk would not give the statement's rows exactly.
 */
export function filePageTable(
  connection: Database.Database,
  request: SqliteScanSpec,
): FilePageTable | undefined {
  const [schema, name] = request.path.length === 1 ? ['main', request.path[0]!] : request.path;
  if (schema !== 'main' || name === undefined) return undefined;
  const entry = connection
    .prepare("SELECT rootpage FROM main.sqlite_schema WHERE type = 'table' AND name = ?")
    .get(name) as { rootpage: number } | undefined;
  if (!entry || !(entry.rootpage > 1)) return undefined;
  const info = connection.prepare('SELECT * FROM pragma_table_xinfo(?, ?)').all(name, schema);
  const columns = info as ColumnInfo[];
  // Generated columns are not all in the record; a hidden column is a virtual table's.
  if (columns.length === 0 || columns.some((c) => c.hidden !== 0)) return undefined;
  const key = columns.filter((c) => c.pk > 0);
  const rowidField = columns.findIndex((c) => c.pk > 0);
  // The rowid alias: one INTEGER PRIMARY KEY without an index of its own (a PRIMARY KEY that is
  // not the rowid, `INTEGER PRIMARY KEY DESC` or WITHOUT ROWID's, has an autoindex).
  if (key.length !== 1 || key[0]!.name !== request.orderBy[0]) return undefined;
  if (!/^integer$/i.test(key[0]!.type.trim())) return undefined;
  const indexes = connection
    .prepare('SELECT origin FROM pragma_index_list(?, ?)')
    .all(name, schema);
  if ((indexes as { origin: string }[]).some((i) => i.origin === 'pk')) return undefined;
  // A boolean column stored with REAL affinity holds 2.0 as the integer 2 on disk, but reads it
  // as a float: which of the two a value is decides whether it turns into true.
  const realAffinity = (type: string) => !/INT/i.test(type) && /REAL|FLOA|DOUB/i.test(type);
  if (
    request.columns.some(
      (c) =>
        c.type === 'boolean' && realAffinity(columns.find((t) => t.name === c.name)?.type ?? ''),
    )
  ) {
    return undefined;
  }
  const fields = request.columns.map((c) => columns.findIndex((t) => t.name === c.name));
  if (fields.some((f) => f < 0)) return undefined;
  const defaults: RowValue[] = [];
  for (const c of columns) {
    if (c.dflt_value === null) {
      defaults.push(null);
      continue;
    }
    try {
      const statement = connection.prepare(`SELECT ${c.dflt_value}`).raw(true).safeIntegers(true);
      defaults.push((statement.get() as RowValue[])[0] ?? null);
    } catch {
      return undefined; // a default SQLite evaluates in its table's context only: read by SQL
    }
  }
  return {
    rootPage: entry.rootpage,
    fields,
    rowidField,
    booleans: request.columns.map((c) => c.type === 'boolean'),
    defaults,
  };
}

/** Pages are read this many at a time: a table's leaves mostly follow one another in the file. */
const slabPages = 64;

/**
 * Walks the table's b-tree in rowid order and writes each row into `writer`; after each row,
 * `onRow()` says whether to go on (false: stop). Throws on bytes that break the file format.
 */
export function walkTable(
  fd: number,
  header: FileHeader,
  table: FilePageTable,
  writer: RowWriter,
  onRow: () => boolean,
): void {
  new TableWalk(fd, header, table, writer).run(onRow);
}

class TableWalk {
  private readonly pageSize: number;
  private readonly usable: number;
  /** Pages `slabFirst …` of the file, read together. */
  private slab: Buffer;
  private slabFirst = 0;
  private slabCount = 0;
  private readonly view: DataView;
  /** An overflowing record, assembled; and the page its overflow chain is read into. */
  private payload = Buffer.allocUnsafe(1 << 16);
  private payloadView = new DataView(this.payload.buffer, this.payload.byteOffset);
  private readonly overflowPage: Buffer;
  /** The record's serial types and where each field's bytes start, reused row after row. */
  private readonly types: number[] = [];
  private readonly offsets: number[] = [];
  /** The last varint read: its value, and where the bytes after it start. */
  private value = 0;
  private next = 0;
  private readonly maxLocal: number;
  private readonly minLocal: number;
  private readonly fileSize: number;

  constructor(
    private readonly fd: number,
    header: FileHeader,
    private readonly table: FilePageTable,
    private readonly writer: RowWriter,
  ) {
    this.pageSize = header.pageSize;
    this.usable = header.usable;
    this.slab = Buffer.allocUnsafe(this.pageSize * slabPages);
    this.view = new DataView(this.slab.buffer, this.slab.byteOffset, this.slab.byteLength);
    this.overflowPage = Buffer.allocUnsafe(this.pageSize);
    this.maxLocal = this.usable - 35;
    this.minLocal = Math.floor(((this.usable - 12) * 32) / 255) - 23;
    this.fileSize = Math.floor(fstatSync(fd).size / this.pageSize);
  }

  run(onRow: () => boolean): void {
    // Interior pages' children still to visit, the deepest last: a DFS in key order.
    const stack: number[][] = [[this.table.rootPage]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const pgno = top.pop();
      if (pgno === undefined) {
        stack.pop();
        continue;
      }
      const base = this.load(pgno);
      const headerAt = pgno === 1 ? base + 100 : base;
      const kind = this.slab[headerAt]!;
      if (kind === 0x05) {
        const cells = this.slab.readUInt16BE(headerAt + 3);
        const children = new Array<number>(cells + 1);
        children[0] = this.slab.readUInt32BE(headerAt + 8); // the right-most: visited last
        for (let i = 0; i < cells; i++) {
          const cell = this.slab.readUInt16BE(headerAt + 12 + 2 * i);
          children[cells - i] = this.slab.readUInt32BE(base + cell);
        }
        stack.push(children);
      } else if (kind === 0x0d) {
        if (!this.leaf(base, headerAt, onRow)) return;
      } else {
        throw malformed(`page ${pgno} is not a table b-tree page (type ${kind})`);
      }
    }
  }

  /** Encodes a leaf page's rows; false once `onRow` says stop. */
  private leaf(base: number, headerAt: number, onRow: () => boolean): boolean {
    const slab = this.slab;
    const cells = slab.readUInt16BE(headerAt + 3);
    for (let i = 0; i < cells; i++) {
      let at = base + slab.readUInt16BE(headerAt + 8 + 2 * i);
      at = this.varint(slab, at);
      const size = this.value;
      const rowid = this.rowid(slab, this.next);
      at = this.next;
      if (size <= this.maxLocal) {
        this.row(slab, this.view, at, at + size, rowid);
      } else {
        this.assemble(at, size);
        this.row(this.payload, this.payloadView, 0, size, rowid);
      }
      if (!onRow()) return false;
    }
    return true;
  }

  /** An overflowing record: its local part, then its chain of overflow pages, into `payload`. */
  private assemble(at: number, size: number): void {
    if (this.payload.length < size) {
      this.payload = Buffer.allocUnsafe(Math.max(size, this.payload.length * 2));
      this.payloadView = new DataView(this.payload.buffer, this.payload.byteOffset);
    }
    const k = this.minLocal + ((size - this.minLocal) % (this.usable - 4));
    const local = k <= this.maxLocal ? k : this.minLocal;
    this.slab.copy(this.payload, 0, at, at + local);
    let next = this.slab.readUInt32BE(at + local);
    let filled = local;
    const page = this.overflowPage;
    while (filled < size) {
      if (next < 1 || next > this.fileSize) throw malformed(`overflow page ${next} is missing`);
      if (readSync(this.fd, page, 0, this.pageSize, (next - 1) * this.pageSize) < this.pageSize) {
        throw malformed(`overflow page ${next} is cut short`);
      }
      const take = Math.min(this.usable - 4, size - filled);
      page.copy(this.payload, filled, 4, 4 + take);
      filled += take;
      next = page.readUInt32BE(0);
    }
  }

  /** One record (`buf[start, end)`) as one canonical row. */
  private row(buf: Buffer, view: DataView, start: number, end: number, rowid: number | bigint) {
    const { types, offsets, table, writer } = this;
    let at = this.varint(buf, start);
    const headerEnd = start + this.value;
    let body = headerEnd;
    let count = 0;
    at = this.next;
    while (at < headerEnd) {
      at = this.varint(buf, at);
      const type = this.value;
      types[count] = type;
      offsets[count] = body;
      body += type >= 12 ? (type - 12) >> 1 : (fixedSize[type] ?? 0);
      count++;
      at = this.next;
    }
    if (body > end) throw malformed('a record runs past its cell');
    const { fields, booleans } = table;
    const rowStart = writer.beginRow();
    for (let c = 0; c < fields.length; c++) {
      const f = fields[c]!;
      if (f >= count) {
        writer.cell(asCell(table.defaults[f] ?? null, booleans[c]!));
        continue;
      }
      const type = types[f]!;
      const pos = offsets[f]!;
      if (type === 0) {
        writer.cell(f === table.rowidField ? rowid : null);
      } else if (type <= 6 || type === 8 || type === 9) {
        const n = type === 8 ? 0 : type === 9 ? 1 : readInt(buf, view, pos, type);
        if (booleans[c]) writer.cell(n !== 0 && n !== 0n);
        else if (typeof n === 'number') writer.intCell(n);
        else writer.cell(n);
      } else if (type === 7) {
        const v = view.getFloat64(pos, false);
        writer.cell(booleans[c] && (v === 0 || v === 1) ? v === 1 : v);
      } else if (type >= 12) {
        const length = (type - 12) >> 1;
        if (type & 1) writer.utf8Cell(buf, pos, pos + length);
        else writer.bytesCell(buf, pos, pos + length);
      } else {
        throw malformed(`a record has the reserved serial type ${type}`);
      }
    }
    writer.endRow(rowStart);
  }

  /** The cell's rowid (a signed 64-bit varint); a bigint past 2^49, which is rare. */
  private rowid(buf: Buffer, at: number): number | bigint {
    let value = 0;
    for (let i = 0; i < 7; i++) {
      const byte = buf[at + i]!;
      value = value * 128 + (byte & 0x7f);
      if (byte < 0x80) {
        this.next = at + i + 1;
        return value;
      }
    }
    let big = 0n;
    let i = 0;
    for (; i < 8; i++) {
      const byte = buf[at + i]!;
      big = (big << 7n) | BigInt(byte & 0x7f);
      if (byte < 0x80) break;
    }
    if (i === 8) big = (big << 8n) | BigInt(buf[at + 8]!);
    this.next = at + Math.min(i, 8) + 1;
    return BigInt.asIntN(64, big);
  }

  /** A varint that fits a number exactly (sizes, serial types): its value in `value`. */
  private varint(buf: Buffer, at: number): number {
    let value = 0;
    for (let i = 0; i < 8; i++) {
      const byte = buf[at + i]!;
      value = value * 128 + (byte & 0x7f);
      if (byte < 0x80) {
        this.value = value;
        this.next = at + i + 1;
        return this.next;
      }
    }
    throw malformed('a size is out of range');
  }

  /** Brings page `pgno` into the slab; answers where it starts there. */
  private load(pgno: number): number {
    if (pgno < 1 || pgno > this.fileSize) throw malformed(`page ${pgno} is past the end`);
    if (pgno < this.slabFirst || pgno >= this.slabFirst + this.slabCount) {
      const count = Math.min(slabPages, this.fileSize - pgno + 1);
      const bytes = count * this.pageSize;
      if (readSync(this.fd, this.slab, 0, bytes, (pgno - 1) * this.pageSize) < bytes) {
        throw malformed(`page ${pgno} is cut short`);
      }
      this.slabFirst = pgno;
      this.slabCount = count;
    }
    return (pgno - this.slabFirst) * this.pageSize;
  }
}

/**
 * A value as the statement scan gives it (sqlite-scan-worker.ts): in a boolean column an integer
 * (a bigint there) is true unless 0, and a float 0.0 or 1.0 is false or true.
 */
export function asCell(value: RowValue, boolean: boolean): RowValue {
  if (!boolean) return value;
  if (typeof value === 'bigint') return value !== 0n;
  if (value === 0 || value === 1) return value === 1;
  return value;
}

/** Bytes of the fixed-size serial types 0–9 (10 and 11 are reserved). */
const fixedSize = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0];

/** A big-endian two's complement integer of serial type 1–6; 8-byte ones past ±2^52 as bigint. */
function readInt(buf: Buffer, view: DataView, pos: number, type: number): number | bigint {
  switch (type) {
    case 1:
      return view.getInt8(pos);
    case 2:
      return view.getInt16(pos, false);
    case 3:
      return ((view.getInt8(pos) << 16) | view.getUint16(pos + 1, false)) as number;
    case 4:
      return view.getInt32(pos, false);
    case 5:
      return view.getInt16(pos, false) * 0x100000000 + view.getUint32(pos + 2, false);
    default: {
      const hi = view.getInt32(pos, false);
      // |hi| < 2^20: the value is within ±2^52 and exact as a number.
      if (hi > -0x100000 && hi < 0x100000) return hi * 0x100000000 + view.getUint32(pos + 4, false);
      return buf.readBigInt64BE(pos);
    }
  }
}

function malformed(what: string): AppError {
  return new AppError('internal', `The SQLite file could not be read page by page: ${what}`);
}
