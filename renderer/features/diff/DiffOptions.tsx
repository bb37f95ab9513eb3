/** What a diff compares by: key columns, columns to ignore, numeric tolerance; then Compare. */
import { useState } from 'react';
import type { StartDiffInput } from '../../../shared/diff';

export interface DiffOptionValues {
  key: string;
  ignore: string;
  tolerance: string;
}

const names = (text: string) =>
  text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);

/** The options as the contract takes them; an empty key field means "each side's own key". */
export function diffOptions(values: DiffOptionValues): Omit<StartDiffInput, 'a' | 'b'> {
  const key = names(values.key);
  const tolerance = Number(values.tolerance);
  return {
    ...(key.length > 0 ? { key } : {}),
    ignoreColumns: names(values.ignore),
    ...(values.tolerance.trim() && Number.isFinite(tolerance) && tolerance > 0
      ? { tolerance: { absolute: tolerance } }
      : {}),
  };
}

interface Props {
  initial: DiffOptionValues;
  running: boolean;
  onRun: (values: DiffOptionValues) => void;
}

export function DiffOptions({ initial, running, onRun }: Props) {
  const [values, setValues] = useState(initial);
  const set = (field: keyof DiffOptionValues) => (event: { target: { value: string } }) =>
    setValues({ ...values, [field]: event.target.value });
  const badTolerance = values.tolerance.trim() !== '' && !(Number(values.tolerance) >= 0);
  return (
    <form
      className="diff-options"
      onSubmit={(event) => {
        event.preventDefault();
        if (!badTolerance) onRun(values);
      }}
    >
      <label>
        <span>Key</span>
        <input
          className="mono"
          data-testid="diff-key"
          placeholder="each side’s own key"
          value={values.key}
          onChange={set('key')}
        />
      </label>
      <label>
        <span>Ignore columns</span>
        <input
          className="mono"
          data-testid="diff-ignore"
          placeholder="e.g. updated_at, loaded_at"
          value={values.ignore}
          onChange={set('ignore')}
        />
      </label>
      <label>
        <span>Numbers equal within ±</span>
        <input
          className="mono diff-tolerance"
          data-testid="diff-tolerance"
          inputMode="decimal"
          placeholder="0"
          aria-invalid={badTolerance}
          value={values.tolerance}
          onChange={set('tolerance')}
        />
      </label>
      <button type="submit" data-testid="diff-run" disabled={running || badTolerance}>
        Compare again
      </button>
    </form>
  );
}
