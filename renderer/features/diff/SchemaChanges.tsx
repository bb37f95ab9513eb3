/** A diff's schema changes in words: columns added, removed, retyped, reordered; key changes. */
import type { SchemaDiff } from '../../../shared/diff';
import type { Column } from '../../../shared/model';

const typeText = (column: Column) => column.nativeType || column.type;

/** Past this many changes the list starts folded, so the grid keeps the screen. */
const openUpTo = 4;

export function SchemaChanges({ schema }: { schema: SchemaDiff }) {
  if (schema.equal) return null;
  const parts = [
    schema.added.length > 0 && `${schema.added.length} added`,
    schema.removed.length > 0 && `${schema.removed.length} removed`,
    schema.retyped.length > 0 && `${schema.retyped.length} retyped`,
    schema.reordered && 'reordered',
  ].filter(Boolean);
  const items =
    schema.added.length +
    schema.removed.length +
    schema.retyped.length +
    (schema.reordered ? 1 : 0) +
    (schema.keyChanged ? 1 : 0);
  return (
    <details className="diff-schema" data-testid="diff-schema" open={items <= openUpTo}>
      <summary>
        Schema changed: {parts.length > 0 ? `columns ${parts.join(', ')}` : ''}
        {schema.keyChanged ? `${parts.length > 0 ? '; ' : ''}key changed` : ''}
      </summary>
      <ul>
        {schema.added.map((column) => (
          <li key={`+${column.name}`} className="schema-added">
            <span className="schema-sign">+</span> column{' '}
            <span className="mono">{column.name}</span>{' '}
            <span className="muted">{typeText(column)}</span> added
          </li>
        ))}
        {schema.removed.map((column) => (
          <li key={`-${column.name}`} className="schema-removed">
            <span className="schema-sign">−</span> column{' '}
            <span className="mono">{column.name}</span>{' '}
            <span className="muted">{typeText(column)}</span> removed
          </li>
        ))}
        {schema.retyped.map((change) => (
          <li key={`~${change.name}`} className="schema-retyped">
            <span className="schema-sign">~</span> column{' '}
            <span className="mono">{change.name}</span> retyped{' '}
            <span className="mono">{typeText(change.old)}</span> →{' '}
            <span className="mono">{typeText(change.new)}</span>{' '}
            <span className="muted">({change.comparedAs})</span>
          </li>
        ))}
        {schema.reordered && (
          <li className="schema-retyped">
            <span className="schema-sign">↕</span> columns reordered:{' '}
            <span className="mono">{schema.reordered.old.join(', ')}</span> →{' '}
            <span className="mono">{schema.reordered.new.join(', ')}</span>
          </li>
        )}
        {schema.keyChanged && (
          <li className="schema-retyped">
            <span className="schema-sign">⚿</span> key changed:{' '}
            <span className="mono">{schema.keyChanged.old.join(', ') || 'none'}</span> →{' '}
            <span className="mono">{schema.keyChanged.new.join(', ') || 'none'}</span>
          </li>
        )}
      </ul>
    </details>
  );
}
