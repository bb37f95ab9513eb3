/** The fields of one kind's form, from its spec in kindForms.ts. */
import type { FieldSpec } from './kindForms';

interface Props {
  fields: FieldSpec[];
  values: Record<string, string | boolean>;
  onChange: (name: string, value: string | boolean) => void;
}

export function KindFields({ fields, values, onChange }: Props) {
  return (
    <div className="connection-fields">
      {fields.map((field) =>
        field.type === 'checkbox' ? (
          <label key={field.name} className="check-field">
            <input
              type="checkbox"
              data-testid={`field-${field.name}`}
              checked={values[field.name] === true}
              onChange={(event) => onChange(field.name, event.target.checked)}
            />
            <span>{field.label}</span>
          </label>
        ) : (
          <label key={field.name} className={`field field-${field.type}`}>
            <span>{field.label}</span>
            <input
              data-testid={`field-${field.name}`}
              className={field.type === 'text' && field.mono ? 'mono' : undefined}
              inputMode={field.type === 'number' ? 'numeric' : undefined}
              value={typeof values[field.name] === 'string' ? String(values[field.name]) : ''}
              placeholder={field.placeholder}
              spellCheck={false}
              onChange={(event) => onChange(field.name, event.target.value)}
            />
          </label>
        ),
      )}
    </div>
  );
}
