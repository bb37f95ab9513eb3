/**
 * The rules every engine follows to checksum a key range (Backend.checksumRanges), so that the
 * same logical rows give the same checksum in PostgreSQL, MariaDB/MySQL and SQLite. PostgreSQL and
 * MariaDB apply them in SQL (postgres/range-checksum.ts, mysql/range-checksum.ts); SQLite, which
 * has no hash function, applies this file's JS inside its reader worker, so this file is also the
 * reference the engines' SQL is tested against.
 *
 * A cell becomes one canonical text by its logical type:
 * - integer, bigint: decimal digits, `-` for negatives, no leading zeros (`7`, `-12`);
 * - decimal: plain notation, no trailing fractional zeros, no trailing point, no `-0` (`12.5`, `3`);
 * - float: rounded half away from zero to 6 decimal places, then as a decimal (so `0.1 + 0.2` and
 *   `0.3` agree; engines print doubles with different digit counts, and a store's float is an
 *   approximation anyway — a difference below 5e-7 is not seen);
 * - boolean: `1` or `0`;
 * - date: `YYYY-MM-DD`; timestamp: `YYYY-MM-DDTHH:MM:SS` then `.` and the fraction without
 *   trailing zeros, in UTC when the store knows the zone (timestamptz, MariaDB TIMESTAMP, SQLite
 *   text with `Z`/`±HH:MM`), as written otherwise;
 * - blob: lowercase hex of the bytes;
 * - text and everything else: the text itself (json: the engine's own normal form — jsonb text in
 *   PostgreSQL, JSON_NORMALIZE in MariaDB, the stored text in SQLite — so JSON compares equal
 *   within one engine but not always across engines).
 * NULL is `N`; any other cell is `<UTF-8 byte length>:<text>`, so NULL differs from '' and no two
 * rows' cell sequences run together into the same string. A row is the concatenation of its cells
 * in the requested column order; its hash is the low 60 bits of MD5 of that UTF-8 string (the
 * last 15 hex digits); a range's checksum is the exact decimal sum of its rows' hashes, so it does
 * not depend on row order (data-diff's scheme).
 */
import { createHash } from 'node:crypto';
import type { LogicalType } from '../../shared/model.js';
import type { RowValue } from './scan.js';

/** The row hash every engine implements, so checksums compare across engines. */
export const portableHash = 'md5-60';
export const floatScale = 6;
export const nullCellText = 'N';

/** What the canonical text depends on: the logical type, and whether a timestamp has a zone. */
export interface ChecksumColumn {
  type: LogicalType;
  nativeType: string;
}

/** Plain decimal text of a numeric string or number, trimmed as the rules above say. */
export function canonicalDecimal(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return text;
  const integer = match[2]!.replace(/^0+/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const sign = match[1] === '-' && (integer !== '0' || fraction !== '') ? '-' : '';
  return fraction ? `${sign}${integer}.${fraction}` : `${sign}${integer}`;
}

/** A JS number as plain decimal text (never exponent notation). */
function plainNumber(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toFixed(20);
}

/** Rounds a decimal string half away from zero to `scale` places, as PostgreSQL's round does. */
export function roundDecimal(text: string, scale: number): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return text;
  const [, sign, integer, fraction = ''] = match;
  const kept = `${integer}${fraction.padEnd(scale, '0').slice(0, scale)}`;
  let digits = BigInt(kept);
  if ((fraction[scale] ?? '0') >= '5') digits += 1n;
  const padded = digits.toString().padStart(scale + 1, '0');
  const whole = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return canonicalDecimal(`${sign}${whole}`);
}

/** A double as PostgreSQL turns it into numeric (15 significant digits), then rounded. */
export function canonicalFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  return roundDecimal(plainNumber(Number(n.toPrecision(15))), floatScale);
}

const timestampPattern =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** `YYYY-MM-DDTHH:MM:SS[.fraction]`, in UTC when the text carries a zone. */
export function canonicalTimestamp(text: string): string {
  const match = timestampPattern.exec(text.trim());
  if (!match) return text;
  const [, day, hh = '00', mm = '00', ss = '00', fraction = '', zone] = match;
  let stamp = `${day}T${hh}:${mm}:${ss}`;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    const utc = new Date(`${stamp}Z`).getTime() - offsetMinutes * 60_000;
    stamp = new Date(utc).toISOString().slice(0, 19);
  }
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed ? `${stamp}.${trimmed}` : stamp;
}

function epochSecondsTimestamp(n: number): string {
  return canonicalTimestamp(new Date(n * 1000).toISOString());
}

function isTrue(value: RowValue): boolean {
  if (typeof value === 'string') return /^(1|t|true|y|yes|on)$/i.test(value.trim());
  if (value instanceof Uint8Array) return value.some((b) => b !== 0);
  return Boolean(value) && value !== 0n;
}

/** A cell's canonical text (the rules at the top of this file), or null for NULL. */
export function canonicalCellText(value: RowValue, column: ChecksumColumn): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  switch (column.type) {
    case 'boolean':
      return isTrue(value) ? '1' : '0';
    case 'integer':
    case 'bigint':
    case 'decimal':
      if (typeof value === 'number') return canonicalDecimal(plainNumber(value));
      return typeof value === 'bigint' ? value.toString() : canonicalDecimal(String(value));
    case 'float':
      if (typeof value === 'string' && Number.isNaN(Number(value))) return value;
      return canonicalFloat(Number(value));
    case 'date':
      return typeof value === 'string' ? canonicalTimestamp(value).slice(0, 10) : String(value);
    case 'timestamp':
      if (typeof value !== 'string') return epochSecondsTimestamp(Number(value));
      return canonicalTimestamp(String(value));
    default:
      if (typeof value === 'number') return canonicalDecimal(plainNumber(value));
      return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  }
}

/** The string a row's hash is taken of. */
export function canonicalRowText(
  row: readonly RowValue[],
  columns: readonly ChecksumColumn[],
): string {
  let text = '';
  for (let i = 0; i < columns.length; i++) {
    const cell = canonicalCellText(row[i] ?? null, columns[i]!);
    text += cell === null ? nullCellText : `${Buffer.byteLength(cell)}:${cell}`;
  }
  return text;
}

const lowMask = (1 << 30) - 1;

/**
 * Sums rows' 60-bit hashes exactly as two 30-bit halves in plain numbers (no BigInt per row):
 * each half stays exact for 2^23 rows per flush, and `total()` folds them into one bigint.
 */
export class RowHashSum {
  private high = 0;
  private low = 0;
  private pending = 0;
  private folded = 0n;

  add(rowText: string): void {
    const digest = createHash('md5').update(rowText).digest();
    // The low 60 bits of the 128-bit digest: bytes 8..15 minus their top 4 bits.
    const top = digest.readUInt32BE(8) & 0x0fffffff;
    const bottom = digest.readUInt32BE(12);
    this.high += top * 4 + (bottom >>> 30);
    this.low += bottom & lowMask;
    if (++this.pending === 1 << 22) this.fold();
  }

  total(): bigint {
    this.fold();
    return this.folded;
  }

  private fold(): void {
    this.folded += (BigInt(this.high) << 30n) + BigInt(this.low);
    this.high = 0;
    this.low = 0;
    this.pending = 0;
  }
}
