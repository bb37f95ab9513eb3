/**
 * Appending to (or replacing) an existing dataset: how the file's columns, as chosen, line up with
 * the dataset's — a type that differs, a column the dataset lacks, one it requires that the file
 * lacks — before anything runs, with "Use the dataset's types" to take its types for the columns
 * it has. The load checks the same again (schema issues) and writes nothing when they disagree.
 */
import { useCallback } from 'react';
import type { Column, DatasetRef } from '../../../shared/model';
import { api } from '../../api';
import { useAsync } from '../../hooks/useAsync';
import type { ColumnChoice } from './uploadModel';

interface Props {
  target: DatasetRef;
  columns: readonly ColumnChoice[];
  onColumns: (columns: ColumnChoice[]) => void;
}

const precisionOf = (column: Column) => {
  const m = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(column.nativeType);
  return m ? { precision: Number(m[1]), scale: Number(m[2] ?? 0) } : {};
};

export function AppendFit({ target, columns, onColumns }: Props) {
  const { connectionId } = target;
  // The path's text is its identity: a new array for the same path fetches nothing new.
  const pathKey = target.path.join('\u0000');
  const describe = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        api.describeDataset({ ref: { connectionId, path: pathKey.split('\u0000') } }, { signal }),
      [connectionId, pathKey],
    ),
  );
  const schema = describe.value;
  if (!schema) return null;
  const find = (name: string) =>
    schema.columns.find((c) => c.name.toLowerCase() === name.trim().toLowerCase());
  const kept = columns.filter((c) => !c.skip);
  const retyped = kept.flatMap((c) => {
    const match = find(c.name);
    return match && match.type !== c.type && match.type !== 'unknown' ? [{ c, match }] : [];
  });
  const missing = kept.filter((c) => !find(c.name));
  const required = schema.columns.filter(
    (t) => !t.nullable && !kept.some((c) => c.name.trim().toLowerCase() === t.name.toLowerCase()),
  );
  if (retyped.length + missing.length + required.length === 0) {
    return (
      <p className="upload-fit ok" data-testid="upload-fit">
        ✓ The file’s {kept.length} columns match the dataset’s by name and type.
      </p>
    );
  }
  const useTargetTypes = () =>
    onColumns(
      columns.map((c) => {
        const match = !c.skip && find(c.name);
        if (!match || match.type === 'unknown') return c;
        const { precision: _p, scale: _s, ...rest } = c;
        return {
          ...rest,
          type: match.type,
          ...(match.type === 'decimal' ? precisionOf(match) : {}),
        };
      }),
    );
  return (
    <div className="upload-fit" data-testid="upload-fit">
      <div className="upload-fit-title">The file and the dataset differ</div>
      <ul>
        {retyped.map(({ c, match }) => (
          <li key={c.index}>
            <span className="mono strong">{c.name}</span>: {c.type} in the file,{' '}
            <span className="mono">{match.nativeType || match.type}</span> in the dataset
          </li>
        ))}
        {missing.map((c) => (
          <li key={c.index}>
            <span className="mono strong">{c.name}</span>: the dataset has no such column (rename or
            skip it)
          </li>
        ))}
        {required.map((t) => (
          <li key={t.name}>
            <span className="mono strong">{t.name}</span>: required by the dataset, not in the file
          </li>
        ))}
      </ul>
      {retyped.length > 0 && (
        <button type="button" data-testid="upload-use-target-types" onClick={useTargetTypes}>
          Use the dataset’s types
        </button>
      )}
    </div>
  );
}
