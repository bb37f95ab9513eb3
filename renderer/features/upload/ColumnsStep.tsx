/**
 * Step 2, Columns: the first rows of the file under each column's name and inferred type, where
 * the person renames (inline), retypes (the select), skips a column, and picks a key. Cells are
 * drawn by the grid's own cell renderer, as text: a value or name that looks like HTML stays text.
 */
import type { IngestColumn } from '../../../shared/ingest';
import { logicalTypes, type LogicalType } from '../../../shared/model';
import { GridCellContent } from '../../components/DataGrid/GridCell';
import { formatCount } from '../../format';
import type { ColumnChoice } from './uploadModel';
import type { UploadWizardState } from './useUploadWizard';

const choosableTypes = logicalTypes.filter((t) => t !== 'unknown');

function statsText(column: IngestColumn | undefined): string {
  if (!column) return '';
  const s = column.stats;
  const parts = [
    `${formatCount(s.values)} values`,
    s.nulls > 0 ? `${formatCount(s.nulls)} empty (NULL)` : '',
    s.empty > 0 ? `${formatCount(s.empty)} ""` : '',
    `${s.distinctCapped ? '≥' : ''}${formatCount(s.distinct)} distinct`,
  ];
  return parts.filter(Boolean).join(' · ');
}

export function ColumnsStep({ wizard }: { wizard: UploadWizardState }) {
  const { sniff, columns, setColumns, key, setKey, problems } = wizard;
  const result = sniff.result;
  if (!result) return null;
  const update = (index: number, patch: Partial<ColumnChoice>) =>
    setColumns(columns.map((c) => (c.index === index ? { ...c, ...patch } : c)));
  const retype = (column: ColumnChoice, type: LogicalType) => {
    const sniffed = result.columns.find((c) => c.index === column.index);
    update(column.index, {
      type,
      // A decimal gets back the precision sniffing found; other types have none.
      precision: type === 'decimal' ? sniffed?.precision : undefined,
      scale: type === 'decimal' ? sniffed?.scale : undefined,
    });
  };
  const kept = columns.filter((c) => !c.skip);

  return (
    <div className="upload-columns-step">
      <div className="upload-toolbar">
        <label className="inline-field">
          <span>Key</span>
          <select
            data-testid="upload-key"
            value={key === undefined ? '' : String(key)}
            onChange={(event) =>
              setKey(event.target.value === '' ? undefined : Number(event.target.value))
            }
          >
            <option value="">No key</option>
            {kept.map((c) => (
              <option key={c.index} value={c.index}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">
          A key column must be present and unique in every row; it is checked as the file loads.
        </span>
        <span className="spacer" />
        <span className="muted small" data-testid="upload-columns-count">
          {kept.length} of {columns.length} columns · first {result.preview.length} rows
        </span>
      </div>
      {problems.columns.length > 0 && (
        <ul className="upload-problems" role="alert">
          {problems.columns.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="upload-preview" data-testid="upload-preview">
        <table className="preview-table">
          <thead>
            <tr>
              <th className="preview-gutter" aria-label="Row" />
              {columns.map((column) => {
                const sniffed = result.columns.find((c) => c.index === column.index);
                const id = sniffed?.name ?? String(column.index);
                const retyped = sniffed && sniffed.type !== column.type;
                return (
                  <th
                    key={column.index}
                    scope="col"
                    className={column.skip ? 'preview-head skipped' : 'preview-head'}
                    title={statsText(sniffed)}
                  >
                    <input
                      data-testid="upload-column-name"
                      data-column={id}
                      className="preview-name"
                      aria-label={`Name of column ${column.index + 1}`}
                      value={column.name}
                      spellCheck={false}
                      disabled={column.skip}
                      onChange={(event) => update(column.index, { name: event.target.value })}
                    />
                    <div className="preview-controls">
                      <select
                        data-testid="upload-column-type"
                        data-column={id}
                        aria-label={`Type of ${column.name}`}
                        value={column.type}
                        disabled={column.skip}
                        onChange={(event) => retype(column, event.target.value as LogicalType)}
                      >
                        {choosableTypes.map((t) => (
                          <option key={t} value={t}>
                            {t}
                            {t === column.type && t === 'decimal' && column.precision !== undefined
                              ? `(${column.precision},${column.scale ?? 0})`
                              : ''}
                          </option>
                        ))}
                      </select>
                      <label className="preview-skip" title="Leave this column out of the load">
                        <input
                          type="checkbox"
                          data-testid="upload-column-skip"
                          data-column={id}
                          checked={column.skip}
                          onChange={(event) => update(column.index, { skip: event.target.checked })}
                        />
                        skip
                      </label>
                    </div>
                    <div className="preview-meta">
                      {key === column.index && <span className="badge key-badge">key</span>}
                      {retyped ? (
                        <span className="muted">inferred {sniffed.type}</span>
                      ) : (
                        <span className="muted">
                          {sniffed?.nullable ? 'has empty values' : ' '}
                        </span>
                      )}
                    </div>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {result.preview.map((row, r) => (
              <tr key={r}>
                <td className="preview-gutter">{r + 1}</td>
                {columns.map((column) => {
                  const value = row[column.index] ?? null;
                  return (
                    <td
                      key={column.index}
                      className={column.skip ? 'skipped' : undefined}
                      title={value ?? 'NULL'}
                    >
                      <GridCellContent value={value} type={column.type} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
