/**
 * A collection has no schema, so one is inferred from a sample of its documents: nested
 * documents are flattened to dotted paths (`address.city`), arrays stay one json column, and each
 * path gets the logical type of its most frequent BSON type. How often a path holds a value, and
 * which types it holds, go into `nativeType` (`string · 98%`, `string|int (87%/13%) · 100%`) so
 * the grid's header can show them; the per-type counts stay in `MongoField` for the filters.
 */
import type { Column, DatasetKind, DatasetSchema } from '../../../shared/model.js';
import { bsonTypeOf, logicalTypeOf, type BsonType } from './bson-values.js';

export interface MongoField {
  column: Column;
  /** The keys from the document's root to the value: `['address', 'city']`. */
  segments: string[];
  /** Non-null BSON types seen at this path, most frequent first, with their counts. */
  types: Array<[BsonType, number]>;
  /**
   * Whether the path's documents are flattened into further columns; its own column then shows
   * only its other values (a string where most documents have a sub-document).
   */
  flattened: boolean;
}

export interface InferredSchema {
  schema: DatasetSchema;
  fields: MongoField[];
}

/** Paths deeper than this are kept whole as json: a flattened grid stops being readable. */
const maxDepth = 6;
/** An object with more distinct keys than this across the sample is a map (ids as keys), kept as json. */
const maxChildren = 64;

interface PathStats {
  /** Documents where this path holds a value other than null/undefined. */
  values: number;
  /** Documents where the path is missing or null. */
  absent: number;
  counts: Map<BsonType, number>;
  /** Dates exactly at midnight UTC: a field of only those is shown as a date. */
  midnightDates: number;
  children: Map<string, PathStats>;
}

const newStats = (): PathStats => ({
  values: 0,
  absent: 0,
  counts: new Map(),
  midnightDates: 0,
  children: new Map(),
});

/** Keys that cannot be addressed by a dotted path; a document holding one is kept whole. */
export function isPlainKey(key: string): boolean {
  return key !== '' && !key.includes('.') && !key.startsWith('$');
}

function tally(stats: PathStats, value: unknown, depth: number): void {
  const type = bsonTypeOf(value);
  if (type === 'null' || type === 'undefined') {
    stats.absent += 1;
    return;
  }
  stats.values += 1;
  stats.counts.set(type, (stats.counts.get(type) ?? 0) + 1);
  if (type === 'date' && (value as Date).getTime() % 86_400_000 === 0) stats.midnightDates += 1;
  if (type !== 'object' || depth >= maxDepth) return;
  const entries = Object.entries(value as object);
  if (!entries.every(([key]) => isPlainKey(key))) {
    // Marks the path as not flattenable: its documents are shown as json.
    stats.children.set('', newStats());
    return;
  }
  for (const [key, child] of entries) {
    let childStats = stats.children.get(key);
    if (!childStats) stats.children.set(key, (childStats = newStats()));
    tally(childStats, child, depth + 1);
  }
}

function flattens(stats: PathStats): boolean {
  return (
    (stats.counts.get('object') ?? 0) > 0 &&
    stats.children.size > 0 &&
    stats.children.size <= maxChildren &&
    !stats.children.has('')
  );
}

/** `87%` with rounding that never shows 100% for "almost all" nor 0% for "a few". */
export function percent(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0%';
  if (part === whole) return '100%';
  return `${Math.min(99, Math.max(1, Math.round((100 * part) / whole)))}%`;
}

function field(
  segments: string[],
  stats: PathStats,
  total: number,
  flattened: boolean,
): MongoField {
  // A flattened path's own column only shows its non-document values (a string in some docs).
  const types = [...stats.counts].filter(([t]) => !(flattened && t === 'object'));
  types.sort((a, b) => b[1] - a[1]);
  const values = types.reduce((n, [, c]) => n + c, 0);
  const dominant = types[0]?.[0] ?? 'null';
  let type = logicalTypeOf(dominant);
  if (dominant === 'date' && stats.midnightDates === types[0]![1]) type = 'date';
  const mix =
    types.length === 0
      ? 'null'
      : types.length === 1
        ? dominant
        : `${types.map(([t]) => t).join('|')} (${types.map(([, c]) => percent(c, values)).join('/')})`;
  return {
    segments,
    types,
    flattened,
    column: {
      name: segments.join('.'),
      type,
      nativeType: `${mix} · ${percent(values, total)}`,
      nullable: values < total,
    },
  };
}

function collect(
  prefix: string[],
  children: Map<string, PathStats>,
  total: number,
  out: MongoField[],
): void {
  for (const [key, stats] of children) {
    const segments = [...prefix, key];
    const flattened = flattens(stats);
    const scalars = [...stats.counts].some(([t]) => t !== 'object');
    if (!flattened || scalars) out.push(field(segments, stats, total, flattened));
    if (flattened) collect(segments, stats.children, total, out);
  }
}

/**
 * The schema of `documents` (a sample, in `_id` order so the columns come out in a stable order):
 * `_id` first and the key for collections; columns in the order their paths first appear.
 */
export function inferSchema(documents: readonly object[], kind: DatasetKind): InferredSchema {
  const root = newStats();
  for (const doc of documents) {
    for (const [key, value] of Object.entries(doc)) {
      let stats = root.children.get(key);
      if (!stats) root.children.set(key, (stats = newStats()));
      tally(stats, value, 1);
    }
  }
  // A compound _id ({region, n}) is the key: one json column, never split into its parts.
  root.children.get('_id')?.children.set('', newStats());
  const fields: MongoField[] = [];
  collect([], root.children, documents.length, fields);
  const idAt = fields.findIndex((f) => f.segments.length === 1 && f.segments[0] === '_id');
  const id =
    idAt >= 0
      ? fields.splice(idAt, 1)[0]!
      : kind === 'table'
        ? emptyId() // every stored document has an _id, even when none was sampled
        : undefined;
  if (id) fields.unshift(id);
  // A collection's _id is unique and present; a view's _id is whatever its pipeline made.
  const key = kind === 'table' && id ? ['_id'] : [];
  if (kind === 'table' && id) id.column.nullable = false;
  dedupeNames(fields);
  return { schema: { columns: fields.map((f) => f.column), key, kind }, fields };
}

function emptyId(): MongoField {
  return {
    segments: ['_id'],
    types: [['objectId', 0]],
    flattened: false,
    column: {
      name: '_id',
      type: 'text',
      nativeType: 'objectId · no documents sampled',
      nullable: false,
    },
  };
}

/** A top-level key `a.b` and a nested `a` → `b` would share a name; later ones get ` (2)`. */
function dedupeNames(fields: MongoField[]): void {
  const used = new Set<string>();
  for (const f of fields) {
    let name = f.column.name;
    for (let n = 2; used.has(name); n += 1) name = `${f.column.name} (${n})`;
    f.column.name = name;
    used.add(name);
  }
}

/** The value at a field's path in a document (undefined when missing or not a document). */
export function valueAt(doc: unknown, segments: readonly string[]): unknown {
  let value = doc;
  for (const key of segments) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (bsonTypeOf(value) !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A field's value as its column shows it: a flattened path's documents are in other columns. */
export function fieldValue(doc: unknown, field: MongoField): unknown {
  const value = valueAt(doc, field.segments);
  return field.flattened && bsonTypeOf(value) === 'object' ? undefined : value;
}
