/**
 * Step 4, Rules (optional): per column required / unique / min / max / pattern / allowed values,
 * or a rules JSON file (the one `strata ingest --rules` reads) loaded into the editor; and what
 * happens to rows that break a rule — reject the whole file, or load the good rows and write the
 * bad ones to a rejects file.
 */
import { useRef, useState } from 'react';
import type { RejectPolicy } from '../../../shared/ingest';
import { ErrorPanel } from '../../components/ErrorPanel';
import { toAppError } from '../../api';
import { AppError } from '../../../shared/errors';
import { emptyRule, patternError, rulesFromJson, type RuleDraft } from './ruleDrafts';
import type { UploadWizardState } from './useUploadWizard';

const textRules: ReadonlyArray<{ field: 'min' | 'max' | 'pattern' | 'allowed'; label: string }> = [
  { field: 'min', label: 'Min' },
  { field: 'max', label: 'Max' },
  { field: 'pattern', label: 'Pattern (regex)' },
  { field: 'allowed', label: 'Allowed values' },
];

export function RulesStep({ wizard }: { wizard: UploadWizardState }) {
  const { columns, rules, setRules, problems } = wizard;
  const [loaded, setLoaded] = useState<{ file: string; unmatched: string[] }>();
  const [loadError, setLoadError] = useState<AppError>();
  const picker = useRef<HTMLInputElement>(null);
  const kept = columns.filter((c) => !c.skip);
  const draftOf = (index: number) => rules.byColumn[index] ?? emptyRule;
  const edit = (index: number, patch: Partial<RuleDraft>) =>
    setRules({
      ...rules,
      byColumn: { ...rules.byColumn, [index]: { ...draftOf(index), ...patch } },
    });

  const loadFile = async (file: File | undefined) => {
    if (!file) return;
    setLoadError(undefined);
    try {
      const { byColumn, unmatched } = rulesFromJson(await file.text(), columns);
      setRules({ ...rules, byColumn });
      setLoaded({ file: file.name, unmatched });
    } catch (failure) {
      const reason = toAppError(failure).message;
      setLoadError(new AppError('invalid-input', `${file.name} is not a rules file: ${reason}`));
    }
  };

  const policy = (value: RejectPolicy, label: string, detail: string) => (
    <label className={rules.policy === value ? 'choice selected' : 'choice'}>
      <input
        type="radio"
        name="upload-policy"
        value={value}
        checked={rules.policy === value}
        onChange={() => setRules({ ...rules, policy: value })}
      />
      <span className="choice-label">{label}</span>
      <span className="muted small">{detail}</span>
    </label>
  );

  return (
    <div className="upload-rules-step">
      <div className="upload-toolbar">
        <span className="muted small">
          Optional. Every row is also checked against its column’s type and the key.
        </span>
        <span className="spacer" />
        <button
          type="button"
          data-testid="upload-rules-load"
          onClick={() => picker.current?.click()}
        >
          Load rules JSON…
        </button>
        <button
          type="button"
          disabled={Object.keys(rules.byColumn).length === 0}
          onClick={() => {
            setRules({ ...rules, byColumn: {} });
            setLoaded(undefined);
          }}
        >
          Clear rules
        </button>
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          hidden
          onChange={(event) => {
            void loadFile(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </div>
      {loadError && <ErrorPanel error={loadError} />}
      {loaded && (
        <p className="muted small" role="status">
          Rules from {loaded.file}
          {loaded.unmatched.length > 0 &&
            ` — no column named ${loaded.unmatched.map((n) => `“${n}”`).join(', ')} in this file; those rules were left out`}
        </p>
      )}
      <div className="upload-rules-table">
        <table>
          <thead>
            <tr>
              <th>Column</th>
              <th>Required</th>
              <th>Unique</th>
              {textRules.map((r) => (
                <th key={r.field}>{r.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {kept.map((column) => {
              const draft = draftOf(column.index);
              const badPattern = patternError(draft.pattern);
              return (
                <tr key={column.index} data-testid="upload-rule" data-column={column.name}>
                  <th scope="row">
                    <span className="mono">{column.name}</span>{' '}
                    <span className="type-badge">{column.type}</span>
                  </th>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${column.name} is required`}
                      checked={draft.required}
                      onChange={(event) => edit(column.index, { required: event.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${column.name} is unique`}
                      checked={draft.unique}
                      onChange={(event) => edit(column.index, { unique: event.target.checked })}
                    />
                  </td>
                  {textRules.map((r) => (
                    <td key={r.field}>
                      <input
                        data-testid={`upload-rule-${r.field}`}
                        className={r.field === 'pattern' && badPattern ? 'mono invalid' : 'mono'}
                        aria-label={`${r.label} for ${column.name}`}
                        title={r.field === 'pattern' ? badPattern : undefined}
                        placeholder={r.field === 'allowed' ? 'a, b, c' : ''}
                        value={draft[r.field]}
                        spellCheck={false}
                        onChange={(event) => edit(column.index, { [r.field]: event.target.value })}
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {problems.rules.length > 0 && (
        <ul className="upload-problems" role="alert">
          {problems.rules.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <fieldset className="upload-choice" data-testid="upload-policy">
        <legend>When a row breaks a rule</legend>
        {policy(
          'reject-file',
          'Reject the file',
          'Nothing is written; every row is still checked, for the report.',
        )}
        {policy(
          'load-good-rows',
          'Load the good rows',
          'Rows that break a rule go to a rejects file instead, with their line and the reason.',
        )}
        {rules.policy === 'load-good-rows' && (
          <label className="field rejects-path">
            <span>Rejects file</span>
            <input
              data-testid="upload-rejects-path"
              className="mono"
              value={rules.rejectsPath}
              spellCheck={false}
              onChange={(event) => setRules({ ...rules, rejectsPath: event.target.value })}
            />
          </label>
        )}
      </fieldset>
    </div>
  );
}
