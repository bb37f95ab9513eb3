/**
 * Turns a view (the grid's filters and sort) into a MongoDB query. Filter text is typed by what
 * the sample saw at that path: a number for numeric fields, an ObjectId for ids, a Date range for
 * dates, a boolean… and, since a field may hold several types, an `eq` matches any type the text
 * fits (`'5'` finds both "5" and 5 in a `string|int` field). Values are always passed under an
 * operator (`$eq`, `$in`, `$regex` with escaped text), so filter text can never become MQL.
 */
import { BSON } from 'mongodb';
import type { Document } from 'mongodb';
import { AppError } from '../../../shared/errors.js';
import type { Filter, SortSpec } from '../../../shared/model.js';
import type { BsonType } from './bson-values.js';
import { isPlainKey, type MongoField } from './schema-inference.js';

export type MongoSort = Array<[string, 1 | -1]>;

export function fieldNamed(fields: readonly MongoField[], name: string): MongoField {
  const field = fields.find((f) => f.column.name === name);
  if (!field) throw new AppError('invalid-input', `No column named “${name}” in this dataset`);
  return field;
}

/** The dotted path MongoDB addresses a field by; a key with a dot or a leading $ has none. */
export function pathOf(field: MongoField): string {
  if (!field.segments.every(isPlainKey)) {
    throw new AppError(
      'invalid-input',
      `Column “${field.column.name}” cannot be filtered or sorted: its field name holds a dot or starts with $`,
    );
  }
  return field.segments.join('.');
}

/** The sort, always ending in `_id` so the order is total and pages never overlap. */
export function mongoSort(fields: readonly MongoField[], sort: readonly SortSpec[]): MongoSort {
  const terms: MongoSort = sort.map((s) => [
    pathOf(fieldNamed(fields, s.column)),
    s.direction === 'desc' ? -1 : 1,
  ]);
  if (!terms.some(([path]) => path === '_id')) terms.push(['_id', 1]);
  return terms;
}

export function mongoFilter(fields: readonly MongoField[], filters: readonly Filter[]): Document {
  const clauses = filters.map((filter) => clause(fieldNamed(fields, filter.column), filter));
  const all = clauses.flat();
  return all.length === 0 ? {} : all.length === 1 ? all[0]! : { $and: all };
}

function clause(field: MongoField, filter: Filter): Document[] {
  const path = pathOf(field);
  const dominant = field.types[0]?.[0] ?? 'string';
  switch (filter.op) {
    case 'isNull':
      // Matches a null value and a missing field alike: both show as an empty cell.
      return [{ [path]: { $eq: null } }];
    case 'notNull':
      return [{ [path]: { $ne: null } }];
    case 'eq': {
      const kinds = new Set(field.types.map(([t]) => kindOf(t)));
      if (kinds.size === 0) kinds.add('string');
      const conditions = [...kinds].flatMap((kind) => equalTo(kind, field, filter.value));
      if (conditions.length === 0) throw misfit(field, filter.value);
      return [
        conditions.length === 1
          ? { [path]: conditions[0] }
          : { $or: conditions.map((c) => ({ [path]: c })) },
      ];
    }
    case 'contains': {
      const regex = escapeRegex(filter.value);
      if (dominant === 'string' || dominant === 'symbol') {
        return [{ [path]: { $regex: regex, $options: 'i' } }];
      }
      // Numbers, ids and dates are searched as the text the grid shows, as SQL engines do.
      return [
        {
          $expr: {
            $regexMatch: {
              input: { $convert: { input: `$${path}`, to: 'string', onError: '', onNull: '' } },
              regex,
              options: 'i',
            },
          },
        },
      ];
    }
    case 'range': {
      const kind = kindOf(dominant);
      const bounds: Document = {};
      if (filter.min?.trim()) {
        const min = bound(kind, field, filter.min, 'min');
        Object.assign(bounds, { $gte: min.value });
      }
      if (filter.max?.trim()) {
        const max = bound(kind, field, filter.max, 'max');
        Object.assign(bounds, max.dayEnd ? { $lt: max.value } : { $lte: max.value });
      }
      return Object.keys(bounds).length ? [{ [path]: bounds }] : [];
    }
  }
}

type Kind = 'number' | 'string' | 'bool' | 'date' | 'objectId' | 'json' | 'none';

function kindOf(type: BsonType): Kind {
  switch (type) {
    case 'int':
    case 'long':
    case 'double':
    case 'decimal':
      return 'number';
    case 'string':
    case 'symbol':
      return 'string';
    case 'bool':
      return 'bool';
    case 'date':
      return 'date';
    case 'objectId':
      return 'objectId';
    case 'object':
    case 'array':
    case 'dbRef':
      return 'json';
    default:
      return 'none';
  }
}

/** The operator documents an `eq` on `text` becomes for one kind of value (none when it does not fit). */
function equalTo(kind: Kind, field: MongoField, text: string): Document[] {
  switch (kind) {
    case 'string':
      return [{ $eq: text }];
    case 'number': {
      const n = toNumber(field, text);
      return n === undefined ? [] : [{ $eq: n }];
    }
    case 'bool': {
      const b = toBoolean(text);
      return b === undefined ? [] : [{ $eq: b }];
    }
    case 'date': {
      const d = parseDateText(text);
      if (!d) return [];
      // A day alone means the whole day, whatever the time of day the values hold.
      return d.dayOnly ? [{ $gte: d.date, $lt: nextDay(d.date) }] : [{ $eq: d.date }];
    }
    case 'objectId':
      return /^[0-9a-f]{24}$/i.test(text.trim()) ? [{ $eq: new BSON.ObjectId(text.trim()) }] : [];
    case 'json':
      try {
        // `$eq` matches the parsed value literally, even one that looks like an operator; for
        // arrays MongoDB also matches an element, so `x` finds ["x", "y"].
        return [{ $eq: BSON.EJSON.parse(text, { relaxed: true }) }];
      } catch {
        return [{ $eq: text }];
      }
    case 'none':
      return [];
  }
}

/** A range bound typed by the field's dominant kind; a day as `max` bounds the end of that day. */
function bound(
  kind: Kind,
  field: MongoField,
  text: string,
  side: 'min' | 'max',
): { value: unknown; dayEnd?: boolean } {
  switch (kind) {
    case 'number': {
      const n = toNumber(field, text);
      if (n === undefined) throw misfit(field, text);
      return { value: n };
    }
    case 'bool': {
      const b = toBoolean(text);
      if (b === undefined) throw misfit(field, text);
      return { value: b };
    }
    case 'date': {
      const d = parseDateText(text);
      if (!d) throw misfit(field, text);
      return side === 'max' && d.dayOnly
        ? { value: nextDay(d.date), dayEnd: true }
        : { value: d.date };
    }
    case 'objectId':
      if (!/^[0-9a-f]{24}$/i.test(text.trim())) throw misfit(field, text);
      return { value: new BSON.ObjectId(text.trim()) };
    default:
      return { value: text };
  }
}

function misfit(field: MongoField, text: string): AppError {
  const types = field.types.map(([t]) => t).join('|') || 'no values';
  return new AppError(
    'invalid-input',
    `“${text}” does not fit column “${field.column.name}”, which holds ${types}`,
    'Check the filter’s value against the column’s type.',
  );
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A number as the field stores it: Decimal128 for decimals (exact), Long for big int64s. */
function toNumber(field: MongoField, text: string): unknown {
  const value = text.trim();
  if (!numberPattern.test(value)) return undefined;
  const numeric = field.types.find(([t]) => kindOf(t) === 'number')?.[0];
  if (numeric === 'decimal') return BSON.Decimal128.fromString(value);
  const n = Number(value);
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && /^[+-]?\d+$/.test(value)) {
    return BSON.Long.fromString(value.replace(/^\+/, ''));
  }
  return n;
}

function toBoolean(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (['true', 't', '1', 'yes', 'y'].includes(lower)) return true;
  if (['false', 'f', '0', 'no', 'n'].includes(lower)) return false;
  return undefined;
}

/**
 * `2020-01-31` (a whole day, UTC) or `2020-01-31T10:00[:00[.000]][Z|±hh:mm]`. A time without
 * a zone is taken as UTC, the zone the grid shows dates in.
 */
export function parseDateText(text: string): { date: Date; dayOnly: boolean } | undefined {
  const value = text.trim();
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
      value,
    );
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms, zone] = match;
  const day = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  if (new Date(day).toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return undefined;
  if (h === undefined) return { date: new Date(day), dayOnly: true };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  const offset = !zone || zone.toUpperCase() === 'Z' ? 0 : zoneMinutes(zone);
  const time =
    day +
    ((Number(h) * 60 + Number(mi) - offset) * 60 + Number(s ?? 0)) * 1000 +
    Number((ms ?? '0').padEnd(3, '0'));
  return { date: new Date(time), dayOnly: false };
}

function zoneMinutes(zone: string): number {
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits.startsWith('-') ? -minutes : minutes;
}

function nextDay(date: Date): Date {
  return new Date(date.getTime() + 86_400_000);
}

/** Regex text that matches `text` literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
