/**
 * Export a diff's changes: CSV or JSON Lines (one change a line), or SQL statements that turn A
 * into B in the chosen dialect. The path is typed: the contract has no save dialog for it.
 */
import { useState } from 'react';
import type { DiffSummary, ExportDiffInput, SqlDialect } from '../../../shared/diff';
import { sqlDialects } from '../../../shared/diff';
import { api } from '../../api';
import { formatBytes, formatCount } from '../../format';
import { PathDialog } from '../versions/PathDialog';

const extensions: Record<ExportDiffInput['format'], string> = {
  csv: 'csv',
  jsonl: 'jsonl',
  sql: 'sql',
};

export function ExportDiffDialog(props: { summary: DiffSummary; onClose: () => void }) {
  const { summary, onClose } = props;
  const [format, setFormat] = useState<ExportDiffInput['format']>('csv');
  const [dialect, setDialect] = useState<SqlDialect>('sqlite');
  return (
    <PathDialog
      // A new format suggests a file name with its extension.
      key={format}
      title={
        <span className="diff-export-title">
          Export changes as{' '}
          <select
            data-testid="diff-export-format"
            value={format}
            onChange={(event) => setFormat(event.target.value as ExportDiffInput['format'])}
          >
            <option value="csv">CSV</option>
            <option value="jsonl">JSON Lines</option>
            <option value="sql">SQL statements (A → B)</option>
          </select>
          {format === 'sql' && (
            <select
              aria-label="SQL dialect"
              value={dialect}
              onChange={(event) => setDialect(event.target.value as SqlDialect)}
            >
              {sqlDialects.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </span>
      }
      label="File to write"
      initialPath={`diff-${summary.diffId.slice(0, 8)}.${extensions[format]}`}
      confirmLabel="Export"
      testId="diff-export-dialog"
      pick={{ mode: 'save', title: 'Export changes', extensions: [extensions[format]] }}
      onClose={onClose}
      onSubmit={async (file) => {
        const result = await api.exportDiff({
          diffId: summary.diffId,
          format,
          file,
          ...(format === 'sql' ? { dialect } : {}),
        });
        return (
          <>
            ✓ Wrote {formatCount(result.rows)} {format === 'sql' ? 'statements' : 'changes'} (
            {formatBytes(result.bytes)}) to <span className="mono">{result.file}</span>
          </>
        );
      }}
    />
  );
}
