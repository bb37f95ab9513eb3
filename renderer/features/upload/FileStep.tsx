/**
 * Step 1, File: where the file is, and how it reads — encoding, delimiter, quoting, header, line
 * endings — as sniffed, each with the reason sniffing gave. Changing encoding, delimiter or header
 * reads the file again with that choice; quote and escape apply to the load.
 */
import { useRef, useState } from 'react';
import { csvEncodings, type CsvDialect, type CsvEncoding } from '../../../shared/ingest';
import { pathForDroppedFile } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatBytes, formatCount } from '../../format';
import type { UploadWizardState } from './useUploadWizard';

const encodingLabels: Record<CsvEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252 / Latin-1',
};
const delimiters: ReadonlyArray<[string, string]> = [
  [',', 'Comma  ,'],
  [';', 'Semicolon  ;'],
  ['\t', 'Tab'],
  ['|', 'Pipe  |'],
];
const lineEndings: Record<CsvDialect['lineEnding'], string> = {
  '\n': 'LF (Unix)',
  '\r\n': 'CRLF (Windows)',
  '\r': 'CR (old Mac)',
  mixed: 'Mixed',
};

export function FileStep({ wizard, note }: { wizard: UploadWizardState; note?: string }) {
  const { path, setPath, sniff, overrides, reread, dialect, quoting, setQuoting } = wizard;
  const [pickNote, setPickNote] = useState<string>();
  const [wantOther, setWantOther] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const result = sniff.result;
  const otherDelimiter =
    wantOther || (dialect !== undefined && !delimiters.some(([d]) => d === dialect.delimiter));

  const picked = (file: File | undefined) => {
    if (!file) return;
    const full = pathForDroppedFile(file);
    if (full) wizard.readNew(full);
    else setPath(file.name);
    setPickNote(
      full
        ? undefined
        : `The browser does not reveal where “${file.name}” is stored. Type its full path on this machine.`,
    );
  };

  return (
    <div className="upload-file-step">
      {(pickNote ?? note) && <p className="dialog-note">{pickNote ?? note}</p>}
      <label className="field">
        <span>File on this machine</span>
        <div className="field-row">
          <input
            data-testid="upload-path"
            className="mono"
            value={path}
            spellCheck={false}
            placeholder="/path/to/file.csv"
            autoFocus
            onChange={(event) => setPath(event.target.value)}
            onKeyDown={(event) => {
              if (event.key !== 'Enter') return;
              event.preventDefault();
              wizard.read();
            }}
          />
          <button type="button" onClick={() => picker.current?.click()}>
            Choose…
          </button>
          <button
            type="button"
            data-testid="upload-sniff"
            disabled={!path.trim() || sniff.loading}
            onClick={() => wizard.read()}
          >
            {sniff.loading ? 'Reading…' : result ? 'Read again' : 'Read file'}
          </button>
        </div>
      </label>
      <input
        ref={picker}
        type="file"
        accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
        hidden
        onChange={(event) => {
          picked(event.target.files?.[0]);
          event.target.value = '';
        }}
      />
      {sniff.error && <ErrorPanel error={sniff.error} title="Could not read this file" />}
      {result && dialect && (
        <>
          <div className="upload-dialect" data-testid="upload-dialect">
            <label className="field">
              <span>Encoding</span>
              <select
                data-testid="upload-encoding"
                value={dialect.encoding}
                onChange={(event) =>
                  reread({ ...overrides, encoding: event.target.value as CsvEncoding })
                }
              >
                {csvEncodings.map((e) => (
                  <option key={e} value={e}>
                    {encodingLabels[e]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Delimiter</span>
              <div className="field-row">
                <select
                  className="grow"
                  data-testid="upload-delimiter"
                  value={otherDelimiter ? 'other' : dialect.delimiter}
                  onChange={(event) => {
                    const value = event.target.value;
                    setWantOther(value === 'other');
                    if (value !== 'other') reread({ ...overrides, delimiter: value });
                  }}
                >
                  {delimiters.map(([d, label]) => (
                    <option key={label} value={d}>
                      {label}
                    </option>
                  ))}
                  <option value="other">Other…</option>
                </select>
                {otherDelimiter && (
                  <input
                    className="mono delimiter-other"
                    aria-label="Other delimiter"
                    maxLength={1}
                    defaultValue={
                      delimiters.some(([d]) => d === dialect.delimiter) ? '' : dialect.delimiter
                    }
                    onChange={(event) => {
                      const value = event.target.value;
                      if (value.length === 1) reread({ ...overrides, delimiter: value });
                    }}
                  />
                )}
              </div>
            </label>
            <label className="field">
              <span>Quote</span>
              <select
                data-testid="upload-quote"
                value={dialect.quote}
                onChange={(event) =>
                  setQuoting({ ...quoting, quote: event.target.value as CsvDialect['quote'] })
                }
              >
                <option value={'"'}>Double "</option>
                <option value="'">Single &apos;</option>
                <option value="">None</option>
              </select>
            </label>
            <label className="field">
              <span>Quote inside quotes</span>
              <select
                value={dialect.escape}
                onChange={(event) =>
                  setQuoting({ ...quoting, escape: event.target.value as CsvDialect['escape'] })
                }
              >
                <option value="double">Doubled ""</option>
                <option value="backslash">Backslash \"</option>
              </select>
            </label>
            <label className="field">
              <span>Header</span>
              <select
                data-testid="upload-header"
                value={dialect.header ? 'yes' : 'no'}
                onChange={(event) => reread({ ...overrides, header: event.target.value === 'yes' })}
              >
                <option value="yes">Yes: the first row names the columns</option>
                <option value="no">No: every row is data</option>
              </select>
            </label>
          </div>
          <div className="upload-facts muted small">
            <span>{formatBytes(result.bytes)}</span>
            <span>Line endings: {lineEndings[dialect.lineEnding]}</span>
            {dialect.bom && <span>Byte-order mark (skipped)</span>}
            <span>
              {result.columns.length} columns · types from{' '}
              {result.complete
                ? `all ${formatCount(result.sampledRows)} rows`
                : `the first ${formatCount(result.sampledRows)} rows`}
            </span>
          </div>
          {Object.keys(quoting).length > 0 && (
            <p className="muted small">
              The quote choice applies when loading; the preview shows the file as first read.
            </p>
          )}
          <ul className="upload-notes" data-testid="upload-notes">
            {result.notes.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
