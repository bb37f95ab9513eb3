/**
 * BSON values as Strata shows them. Documents are read with `promoteValues: false`, so int32,
 * double and int64 arrive as Int32/Double/Long wrappers and keep their type; every value is then
 * encoded by its own BSON type (a schemaless field can hold several), faithfully:
 * ObjectId → its hex, Date → ISO-8601 with ms and Z, Decimal128 → its exact text, Long → exact
 * (`{$bigint}` past 2^53), Binary → `{$blob}`, documents and arrays → Extended JSON text.
 */
import { BSON, type Binary } from 'mongodb';
import type { CellDetail, CellValue, Column, LogicalType } from '../../../shared/model.js';
import { describeCell, encodeCell } from '../cells.js';

/** MongoDB's own type names (the `$type` aliases), plus `dbRef` for the DBRef convention. */
export type BsonType =
  | 'double'
  | 'string'
  | 'object'
  | 'array'
  | 'binData'
  | 'undefined'
  | 'objectId'
  | 'bool'
  | 'date'
  | 'null'
  | 'regex'
  | 'dbRef'
  | 'javascript'
  | 'symbol'
  | 'int'
  | 'timestamp'
  | 'long'
  | 'decimal'
  | 'minKey'
  | 'maxKey';

const tags: Record<string, BsonType> = {
  ObjectId: 'objectId',
  Int32: 'int',
  Double: 'double',
  Long: 'long',
  Decimal128: 'decimal',
  Binary: 'binData',
  Timestamp: 'timestamp',
  BSONRegExp: 'regex',
  Code: 'javascript',
  MinKey: 'minKey',
  MaxKey: 'maxKey',
  BSONSymbol: 'symbol',
  DBRef: 'dbRef',
};

export function bsonTypeOf(value: unknown): BsonType {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'long';
    case 'number':
      // Only when read with promoteValues (not by this engine): the driver's own rule.
      return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (value instanceof Uint8Array) return 'binData';
  // `_bsontype` rather than instanceof: it holds across copies of the bson package.
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return (typeof tag === 'string' && tags[tag]) || 'object';
}

const logical: Partial<Record<BsonType, LogicalType>> = {
  int: 'integer',
  long: 'bigint',
  double: 'float',
  decimal: 'decimal',
  bool: 'boolean',
  date: 'timestamp',
  binData: 'blob',
  object: 'json',
  array: 'json',
  dbRef: 'json',
  null: 'unknown',
  undefined: 'unknown',
};

/** The logical type a column gets when `type` is its dominant BSON type (the rest are text). */
export function logicalTypeOf(type: BsonType): LogicalType {
  return logical[type] ?? 'text';
}

const safe = (n: bigint) =>
  n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A value as plain JSON: Extended JSON v2, relaxed where that keeps the value and canonical where
 * relaxed would change it (int64 past 2^53 and -0.0, which relaxed turns into a rounded number
 * and 0). Like mongosh and Compass, a whole double shows as `3`, not `{"$numberDouble":"3.0"}`.
 * This is the text of a document's JSON view and of nested cells.
 */
export function toExtendedJson(value: unknown): unknown {
  switch (bsonTypeOf(value)) {
    case 'array':
      return (value as unknown[]).map(toExtendedJson);
    case 'object':
      return Object.fromEntries(
        Object.entries(value as object).map(([k, v]) => [k, toExtendedJson(v)]),
      );
    case 'long': {
      const n = BigInt(String(value));
      return safe(n) ? Number(n) : { $numberLong: n.toString() };
    }
    case 'int':
      return Number(value);
    case 'double': {
      const n = Number(value);
      if (Object.is(n, -0)) return { $numberDouble: '-0.0' };
      return Number.isFinite(n) ? n : { $numberDouble: String(n) };
    }
    case 'undefined':
      return { $undefined: true };
    case 'null':
    case 'string':
    case 'bool':
      return value;
    default:
      return BSON.EJSON.serialize(value as BSON.Document, { relaxed: true });
  }
}

/** Compact Extended JSON text of any value. */
export function extendedJsonText(value: unknown, indent?: number): string {
  return JSON.stringify(toExtendedJson(value), null, indent);
}

/** A Date as ISO-8601; as its day alone in a `date` column (all-midnight UTC) when exact. */
export function dateText(date: Date, type: LogicalType): string {
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  const iso = date.toISOString();
  return type === 'date' && iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

export function binaryBytes(value: Binary): Uint8Array {
  return value.buffer.subarray(0, value.position);
}

/** The text a scalar is shown as (full length); undefined for binary, documents and arrays. */
function scalarText(value: unknown, type: LogicalType): string | undefined {
  switch (bsonTypeOf(value)) {
    case 'string':
      return value as string;
    case 'objectId':
      return (value as BSON.ObjectId).toHexString();
    case 'decimal':
    case 'long':
    case 'int':
    case 'double':
    case 'symbol':
      return String(value);
    case 'date':
      return dateText(value as Date, type);
    case 'timestamp': {
      const ts = value as BSON.Timestamp;
      return `Timestamp({ t: ${ts.t}, i: ${ts.i} })`;
    }
    case 'regex': {
      const re = value as BSON.BSONRegExp | RegExp;
      return re instanceof RegExp ? String(re) : `/${re.pattern}/${re.options}`;
    }
    case 'javascript':
      return (value as BSON.Code).code;
    case 'minKey':
      return 'MinKey';
    case 'maxKey':
      return 'MaxKey';
    default:
      return undefined;
  }
}

/** One value for a page: faithful, JSON-safe, bounded in size (see cells.ts). */
export function mongoCell(value: unknown, type: LogicalType): CellValue {
  switch (bsonTypeOf(value)) {
    case 'null':
    case 'undefined':
      return null;
    case 'bool':
      return value as boolean;
    case 'int':
      return Number(value);
    case 'double': {
      const n = Number(value);
      // NaN and ±Infinity have no JSON number; their names are what the shell shows.
      return Number.isFinite(n) ? n : String(n);
    }
    case 'long':
      return encodeCell(BigInt(String(value)), 'bigint');
    case 'binData':
      return encodeCell(binaryBytes(value as Binary), 'blob');
    case 'string':
      return encodeCell(value, 'text');
  }
  return encodeCell(scalarText(value, type) ?? extendedJsonText(value), 'text');
}

const subtypeNames: Record<number, string> = {
  0: 'generic',
  1: 'function',
  2: 'binary (old)',
  3: 'uuid (old)',
  4: 'uuid',
  5: 'md5',
  6: 'encrypted',
  7: 'column',
  8: 'sensitive',
  9: 'vector',
  128: 'user-defined',
};

/**
 * A value in full for the value viewer. Binary is hex like every blob, prefixed with its subtype
 * (`[subtype 0x04 uuid] …`) since the subtype is part of the value in MongoDB.
 */
export function describeMongoCell(column: Column, value: unknown): CellDetail {
  if (bsonTypeOf(value) === 'binData') {
    const binary = value as Binary;
    const detail = describeCell(column, binaryBytes(binary));
    const sub = binary.sub_type;
    const name = subtypeNames[sub] ?? (sub >= 128 ? 'user-defined' : 'unknown');
    const prefix = `[subtype 0x${sub.toString(16).padStart(2, '0')} ${name}] `;
    return { ...detail, text: prefix + detail.text };
  }
  if (value === null || value === undefined) return describeCell(column, null);
  return describeCell(column, scalarText(value, column.type) ?? extendedJsonText(value));
}
