/**
 * What changed in the shape of a dataset between two sides: columns added, removed, retyped or
 * reordered, and the key. Columns are matched by name, exactly, else ignoring case (PostgreSQL
 * folds unquoted names to lower case, other stores keep them as written).
 */
import type { Column } from '../../shared/model.js';
import type { DiffColumn, RetypedColumn, SchemaDiff } from '../../shared/diff.js';
import { describeCoercion, sameTypeFamily } from './cell-compare.js';

export interface ColumnMatch {
  /** Index in A's columns, and in B's, of each column both sides have (in A's order). */
  pairs: Array<{ a: number; b: number }>;
  /** B's column index for each of A's columns (-1 when B lacks it). */
  bOfA: number[];
}

export function matchColumns(a: readonly Column[], b: readonly Column[]): ColumnMatch {
  const used = new Set<number>();
  const bOfA = a.map((column) => {
    let index = b.findIndex((c, i) => !used.has(i) && c.name === column.name);
    if (index < 0) {
      const lower = column.name.toLowerCase();
      const candidates = b
        .map((c, i) => ({ c, i }))
        .filter(({ c, i }) => !used.has(i) && c.name.toLowerCase() === lower);
      index = candidates.length === 1 ? candidates[0]!.i : -1;
    }
    if (index >= 0) used.add(index);
    return index;
  });
  const pairs = bOfA.flatMap((bi, ai) => (bi >= 0 ? [{ a: ai, b: bi }] : []));
  return { pairs, bOfA };
}

const sameNames = (x: readonly string[], y: readonly string[]) =>
  x.length === y.length && x.every((name, i) => name.toLowerCase() === y[i]!.toLowerCase());

export function diffSchemas(
  a: { columns: readonly Column[]; key: readonly string[] },
  b: { columns: readonly Column[]; key: readonly string[] },
): { schema: SchemaDiff; match: ColumnMatch } {
  const match = matchColumns(a.columns, b.columns);
  const matchedB = new Set(match.pairs.map((p) => p.b));
  const added = b.columns.filter((_, i) => !matchedB.has(i));
  const removed = a.columns.filter((_, i) => match.bOfA[i]! < 0);
  const retyped: RetypedColumn[] = match.pairs.flatMap(({ a: ai, b: bi }) => {
    const old = a.columns[ai]!;
    const now = b.columns[bi]!;
    if (sameTypeFamily(old.type, now.type)) return [];
    return [{ name: now.name, old, new: now, comparedAs: describeCoercion(old.type, now.type) }];
  });
  const oldOrder = match.pairs.map((p) => a.columns[p.a]!.name);
  const newOrder = [...match.pairs].sort((x, y) => x.b - y.b).map((p) => a.columns[p.a]!.name);
  const schema: SchemaDiff = { added, removed, retyped, equal: false };
  if (!sameNames(oldOrder, newOrder)) schema.reordered = { old: oldOrder, new: newOrder };
  if (!sameNames(a.key, b.key)) schema.keyChanged = { old: [...a.key], new: [...b.key] };
  schema.equal =
    added.length === 0 &&
    removed.length === 0 &&
    retyped.length === 0 &&
    !schema.reordered &&
    !schema.keyChanged;
  return { schema, match };
}

/** The diff grid's columns: A's in A's order, then those only B has. */
export function unionColumns(
  a: readonly Column[],
  b: readonly Column[],
  match: ColumnMatch,
  key: readonly string[],
  ignore: readonly string[],
): DiffColumn[] {
  const keyNames = new Set(key.map((k) => k.toLowerCase()));
  const ignored = new Set(ignore.map((k) => k.toLowerCase()));
  const fromA = a.map((column, ai): DiffColumn => {
    const bi = match.bOfA[ai]!;
    return {
      name: column.name,
      inA: true,
      inB: bi >= 0,
      type: bi >= 0 ? b[bi]!.type : column.type,
      key: keyNames.has(column.name.toLowerCase()),
      ignored: ignored.has(column.name.toLowerCase()),
    };
  });
  const matchedB = new Set(match.bOfA.filter((bi) => bi >= 0));
  const onlyB = b.flatMap((column, bi): DiffColumn[] =>
    matchedB.has(bi)
      ? []
      : [
          {
            name: column.name,
            inA: false,
            inB: true,
            type: column.type,
            key: keyNames.has(column.name.toLowerCase()),
            ignored: ignored.has(column.name.toLowerCase()),
          },
        ],
  );
  return [...fromA, ...onlyB];
}
