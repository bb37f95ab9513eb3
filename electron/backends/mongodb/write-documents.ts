/**
 * Rows as MongoDB documents, for the writer: dotted column names become nested documents
 * (`address.city` → `{address: {city}}`, as the reader flattens them back), and each value gets
 * the BSON type its logical type calls for: integer → Int32 (Long past 32 bits), bigint → Long,
 * decimal → Decimal128 (every digit kept), float → Double (also for whole numbers, which would
 * otherwise be stored as ints), date → a Date at midnight UTC (MongoDB has no date-only type;
 * the reader shows such fields as dates), timestamp → a Date (the SQL writers' one time-zone
 * rule: text without an offset is UTC; milliseconds kept, finer digits dropped), blob → Binary,
 * json → the parsed value. A NULL leaves the field out, as documents usually do.
 */
import { Binary, Decimal128, Double, Int32, Long, type Document } from 'mongodb';
import { AppError } from '../../../shared/errors.js';
import type { Column } from '../../../shared/model.js';
import { badValue, blobBytes, naiveTimestamp } from '../sql/write-values.js';
import type { WriteValue } from '../writer.js';

/** Each column's path in the document; refuses names MongoDB cannot store or that collide. */
export function documentPaths(columns: readonly Column[]): string[][] {
  const paths = columns.map((column) => {
    const segments = column.name.split('.');
    if (segments.some((s) => s === '' || s.startsWith('$'))) {
      throw new AppError(
        'invalid-input',
        `Column “${column.name}” cannot name a field: a part of it is empty or starts with “$”`,
        'Rename the column; dots in a name nest fields (address.city).',
      );
    }
    return segments;
  });
  const leaves = new Set(paths.map((p) => p.join('.')));
  for (const path of paths) {
    for (let depth = 1; depth < path.length; depth++) {
      const parent = path.slice(0, depth).join('.');
      if (leaves.has(parent)) {
        throw new AppError(
          'invalid-input',
          `Column “${parent}” would be both a value and the document holding “${path.join('.')}”`,
          'Rename one of the two columns.',
        );
      }
    }
  }
  if (leaves.size !== paths.length) {
    throw new AppError('invalid-input', 'Two columns have the same name');
  }
  return paths;
}

export function toDocument(
  row: readonly WriteValue[],
  columns: readonly Column[],
  paths: readonly string[][],
): Document {
  const doc: Document = {};
  for (let i = 0; i < columns.length; i++) {
    const value = row[i]!;
    if (value === null) continue;
    const path = paths[i]!;
    let at = doc;
    for (let d = 0; d < path.length - 1; d++) at = (at[path[d]!] ??= {}) as Document;
    at[path[path.length - 1]!] = bsonValue(value, columns[i]!);
  }
  return doc;
}

const int32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const int64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const booleanWords = new Map([
  ['true', true],
  ['t', true],
  ['yes', true],
  ['1', true],
  ['false', false],
  ['f', false],
  ['no', false],
  ['0', false],
]);

export function bsonValue(value: Exclude<WriteValue, null>, column: Column): unknown {
  const name = column.name;
  if (value instanceof Uint8Array || column.type === 'blob') return new Binary(blobBytes(value));
  switch (column.type) {
    case 'integer':
    case 'bigint': {
      const n = integer(value, name);
      if (column.type === 'integer' && n >= int32.min && n <= int32.max)
        return new Int32(Number(n));
      return Long.fromBigInt(n);
    }
    case 'decimal':
      try {
        return Decimal128.fromString(String(value));
      } catch {
        throw badValue(name, String(value), 'is not a decimal number');
      }
    case 'float':
      return new Double(Number(value));
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const word = booleanWords.get(value.toLowerCase());
        if (word === undefined) throw badValue(name, value, 'is not a boolean');
        return word;
      }
      return Number(value) !== 0;
    case 'date':
      return typeof value === 'string' ? utcDate(value.slice(0, 10), name) : time(value, name);
    case 'timestamp':
      return typeof value === 'string'
        ? utcDate(naiveTimestamp(value, name), name)
        : time(value, name);
    case 'json':
      if (typeof value !== 'string')
        return typeof value === 'bigint' ? Long.fromBigInt(value) : value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw badValue(name, value, 'is not JSON');
      }
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

function integer(value: Exclude<WriteValue, null | Uint8Array>, column: string): bigint {
  let n: bigint;
  try {
    n =
      typeof value === 'bigint'
        ? value
        : BigInt(typeof value === 'boolean' ? Number(value) : value);
  } catch {
    throw badValue(column, String(value), 'is not a whole number');
  }
  if (n < int64.min || n > int64.max)
    throw badValue(column, String(value), 'does not fit in 64 bits');
  return n;
}

/** Zone-less `YYYY-MM-DD[ T]HH:MM:SS[.f]` as that time in UTC. */
function utcDate(text: string, column: string): Date {
  const iso = text.length === 10 ? `${text}T00:00:00` : text.replace(' ', 'T');
  const date = new Date(`${iso}Z`);
  if (Number.isNaN(date.getTime())) throw badValue(column, text, 'is not a date');
  return date;
}

function time(value: Exclude<WriteValue, null | Uint8Array | string>, column: string): Date {
  const date = new Date(Number(value));
  if (Number.isNaN(date.getTime())) throw badValue(column, String(value), 'is not a time');
  return date;
}
