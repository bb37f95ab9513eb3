/**
 * Before any row is read: which key the rows are matched by, the schema diff, the grid's union of
 * columns, and for each compared column how its cells are compared.
 */
import { AppError } from '../../shared/errors.js';
import type { DiffColumn, DiffTolerance, SchemaDiff } from '../../shared/diff.js';
import type { Column } from '../../shared/model.js';
import { compareModeFor, sameTypeFamily } from './cell-compare.js';
import type { MergePlan } from './merge.js';
import { diffSchemas, unionColumns } from './schema-diff.js';

export interface SideShape {
  columns: readonly Column[];
  key: readonly string[];
}

export interface DiffPlan {
  schema: SchemaDiff;
  columns: DiffColumn[];
  keyed: boolean;
  /** Key names as side A (and B) spell them. */
  keyA: string[];
  keyB: string[];
  note?: string;
  merge: MergePlan;
}

export const multisetNote =
  'No key: compared as a multiset of whole rows (a row that changed shows as one removed and one added; numeric tolerance does not apply).';

const findIndex = (columns: readonly Column[], name: string): number => {
  const exact = columns.findIndex((c) => c.name === name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  const folded = columns.flatMap((c, i) => (c.name.toLowerCase() === lower ? [i] : []));
  return folded.length === 1 ? folded[0]! : -1;
};

function chooseKey(
  a: SideShape,
  b: SideShape,
  requested: readonly string[] | undefined,
): { key: string[]; note?: string } {
  const onBoth = (key: readonly string[]) =>
    key.length > 0 &&
    key.every((k) => findIndex(a.columns, k) >= 0 && findIndex(b.columns, k) >= 0);
  if (requested !== undefined) {
    if (requested.length === 0) return { key: [], note: multisetNote };
    const missing = requested.find(
      (k) => findIndex(a.columns, k) < 0 || findIndex(b.columns, k) < 0,
    );
    if (missing !== undefined) {
      const side = findIndex(a.columns, missing) < 0 ? 'A' : 'B';
      const names = (side === 'A' ? a : b).columns.map((c) => c.name).join(', ');
      throw new AppError(
        'invalid-input',
        `Side ${side} has no column “${missing}” to match rows by`,
        `Its columns: ${names}.`,
      );
    }
    return { key: [...requested] };
  }
  if (onBoth(a.key)) return { key: [...a.key] };
  if (onBoth(b.key)) {
    return a.key.length === 0
      ? { key: [...b.key] }
      : {
          key: [...b.key],
          note: `Rows matched by B’s key (${b.key.join(', ')}): A’s key is not in B.`,
        };
  }
  return { key: [], note: multisetNote };
}

export function planDiff(
  a: SideShape,
  b: SideShape,
  options: {
    key?: readonly string[] | undefined;
    ignoreColumns: readonly string[];
    tolerance?: DiffTolerance | undefined;
  },
): DiffPlan {
  const { schema, match } = diffSchemas(a, b);
  const { key, note } = chooseKey(a, b, options.key);
  const columns = unionColumns(a.columns, b.columns, match, key, options.ignoreColumns);
  const aToUnion = a.columns.map((_, i) => i);
  const bToUnion = new Array<number>(b.columns.length).fill(-1);
  match.bOfA.forEach((bi, ai) => {
    if (bi >= 0) bToUnion[bi] = ai;
  });
  let next = a.columns.length;
  for (let bi = 0; bi < bToUnion.length; bi++) if (bToUnion[bi]! < 0) bToUnion[bi] = next++;
  const aKey = key.map((k) => findIndex(a.columns, k));
  const bKey = key.map((k) => findIndex(b.columns, k));
  const coerceKey = aKey.map(
    (ai, k) => !sameTypeFamily(a.columns[ai]!.type, b.columns[bKey[k]!]!.type),
  );
  const keyed = key.length > 0;
  const compared = match.pairs
    .filter(({ a: ai }) => !columns[ai]!.ignored && (!keyed || !columns[ai]!.key))
    .map(({ a: ai, b: bi }) => ({
      union: ai,
      a: ai,
      b: bi,
      mode: compareModeFor(a.columns[ai]!.type, b.columns[bi]!.type),
    }));
  return {
    schema,
    columns,
    keyed,
    keyA: aKey.map((i) => a.columns[i]!.name),
    keyB: bKey.map((i) => b.columns[i]!.name),
    ...(note ? { note } : {}),
    merge: {
      width: columns.length,
      aToUnion,
      bToUnion,
      aKey,
      bKey,
      coerceKey,
      compared,
      tolerance: options.tolerance,
    },
  };
}
