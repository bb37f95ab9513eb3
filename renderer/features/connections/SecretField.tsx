/**
 * A write-only secret: it never shows a saved value (the renderer never has it), only that one
 * is saved, with Clear. Typing replaces it; leaving it blank keeps it.
 */
import type { SecretState } from './connectionDraft';

interface Props {
  label: string;
  state: SecretState;
  onChange: (state: SecretState) => void;
  testId: string;
}

export function SecretField({ label, state, onChange, testId }: Props) {
  const kept = state.saved && !state.cleared;
  return (
    <label className="field">
      <span>{label}</span>
      <div className="field-row">
        <input
          type="password"
          data-testid={testId}
          autoComplete="new-password"
          value={state.value}
          placeholder={kept ? '••••• saved' : state.cleared ? 'cleared on save' : ''}
          onChange={(event) => onChange({ ...state, value: event.target.value })}
        />
        {kept && state.value === '' && (
          <button
            type="button"
            data-testid={`${testId}-clear`}
            onClick={() => onChange({ ...state, cleared: true })}
          >
            Clear
          </button>
        )}
        {state.cleared && state.value === '' && (
          <button type="button" onClick={() => onChange({ ...state, cleared: false })}>
            Keep
          </button>
        )}
      </div>
    </label>
  );
}
