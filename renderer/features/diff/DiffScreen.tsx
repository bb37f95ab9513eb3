/**
 * The diff screen in the main area: A → B, the options, progress with Cancel while it runs; then
 * the counts, the schema changes, and the changes in a grid with kind and column filters,
 * "only changed columns", next/previous change (buttons, or n / p and the arrow keys) and export.
 */
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { changeKinds, type ChangeKind, type DiffSummary } from '../../../shared/diff';
import { AppError } from '../../../shared/errors';
import { ErrorPanel } from '../../components/ErrorPanel';
import { formatCount } from '../../format';
import { formatDuration } from '../upload/LoadStep';
import { DiffGrid } from './DiffGrid';
import { diffOptions, DiffOptions, type DiffOptionValues } from './DiffOptions';
import type { DiffRequest } from './DiffProvider';
import { DiffSummaryBar } from './DiffSummaryBar';
import { ExportDiffDialog } from './ExportDiffDialog';
import { SchemaChanges } from './SchemaChanges';
import { useDiffJob } from './useDiffJob';
import { useDiffRows, type DiffFilter } from './useDiffRows';
import './diff.css';

interface Props {
  request: DiffRequest;
  onClose: () => void;
}

export function DiffScreen({ request, onClose }: Props) {
  const { job, start, cancel } = useDiffJob();
  const initial: DiffOptionValues = {
    key: request.key?.join(', ') ?? '',
    ignore: '',
    tolerance: '',
  };
  const run = useCallback(
    (values: DiffOptionValues) =>
      void start({ a: request.a, b: request.b, ...diffOptions(values) }),
    [start, request],
  );
  useEffect(() => {
    run({ key: request.key?.join(', ') ?? '', ignore: '', tolerance: '' });
  }, [run, request]);
  const status = job.status;
  const summary = job.phase === 'done' && status?.state === 'done' ? status.summary : undefined;
  const running = job.phase === 'starting' || job.phase === 'running' || job.phase === 'cancelling';
  const [exporting, setExporting] = useState(false);
  const elapsed = running && job.startedAt ? performance.now() - job.startedAt : 0;

  return (
    <section className="diff-screen" data-testid="diff-screen">
      <header className="dataset-header">
        <span className="versions-title">Diff</span>
        <span
          className="diff-side old mono"
          title={`A, the old side${request.aDetail ? `: ${request.aDetail}` : ''}`}
          data-testid="diff-side-a"
        >
          {request.aLabel}
        </span>
        <span className="muted">→</span>
        <span
          className="diff-side new mono"
          title={`B, the new side${request.bDetail ? `: ${request.bDetail}` : ''}`}
          data-testid="diff-side-b"
        >
          {request.bLabel}
        </span>
        <span className="spacer" />
        <button
          type="button"
          data-testid="diff-export"
          disabled={!summary}
          onClick={() => setExporting(true)}
        >
          Export…
        </button>
        <button type="button" data-testid="diff-close" onClick={onClose}>
          Close
        </button>
      </header>
      <DiffOptions initial={initial} running={running} onRun={run} />
      {running && (
        <div className="diff-progress" data-testid="diff-progress">
          <span className="progress-indeterminate" aria-hidden />
          <span className="tabular">
            Comparing… {formatCount(status?.rowsRead ?? 0)} rows read
            {elapsed > 0 && ` · ${formatDuration(elapsed)}`}
          </span>
          <button
            type="button"
            data-testid="diff-cancel"
            disabled={job.phase !== 'running'}
            onClick={cancel}
          >
            {job.phase === 'cancelling' ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      {job.error && <ErrorPanel error={job.error} title="The diff could not run" />}
      {status?.state === 'failed' && status.error && (
        <div className="diff-message">
          <ErrorPanel error={AppError.from(status.error)} title="The diff failed" />
        </div>
      )}
      {status?.state === 'cancelled' && (
        <p className="diff-message muted" data-testid="diff-cancelled">
          Cancelled. Compare again to start over.
        </p>
      )}
      {summary && <DiffResult key={summary.diffId} summary={summary} />}
      {exporting && summary && (
        <ExportDiffDialog summary={summary} onClose={() => setExporting(false)} />
      )}
    </section>
  );
}

function DiffResult({ summary }: { summary: DiffSummary }) {
  const [kinds, setKinds] = useState<ChangeKind[]>([...changeKinds]);
  const [column, setColumn] = useState('');
  const [onlyChangedColumns, setOnlyChangedColumns] = useState(false);
  const [cursor, setCursor] = useState(-1);
  const filter = useMemo<DiffFilter>(
    () => ({ kinds, columns: column ? [column] : [] }),
    [kinds, column],
  );
  const { total, error, row } = useDiffRows(summary.diffId, filter);
  const count = total ?? 0;
  useEffect(() => setCursor(-1), [filter]);

  const shown = useMemo(
    () =>
      summary.columns
        .map((c, i) => ({ c, i }))
        .filter(
          ({ c }) =>
            !onlyChangedColumns ||
            c.key ||
            !c.inA ||
            !c.inB ||
            (summary.changedCells[c.name] ?? 0) > 0,
        )
        .map(({ i }) => i),
    [summary, onlyChangedColumns],
  );
  const move = (step: number) => {
    if (count === 0) return;
    setCursor((current) => Math.min(count - 1, Math.max(0, current < 0 ? 0 : current + step)));
  };
  const onKey = (event: KeyboardEvent) => {
    const next = event.key === 'n' || event.key === 'ArrowDown' || event.key === 'j';
    const previous = event.key === 'p' || event.key === 'ArrowUp' || event.key === 'k';
    if (!next && !previous) return;
    event.preventDefault();
    move(next ? 1 : -1);
  };
  const toggleKind = (kind: ChangeKind) =>
    setKinds(kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind]);
  const nativeTypes = useMemo(
    () => new Map([...summary.a.columns, ...summary.b.columns].map((c) => [c.name, c.nativeType])),
    [summary],
  );
  const changedColumns = summary.columns.filter((c) => (summary.changedCells[c.name] ?? 0) > 0);
  const hasChanges = summary.counts.added + summary.counts.removed + summary.counts.changed > 0;

  return (
    <>
      <DiffSummaryBar summary={summary} />
      <SchemaChanges schema={summary.schema} />
      {hasChanges && (
        <div className="diff-filters">
          {changeKinds.map((kind) => (
            <label key={kind} className={`diff-kind-toggle ${kind}`}>
              <input
                type="checkbox"
                data-testid={`diff-show-${kind}`}
                checked={kinds.includes(kind)}
                onChange={() => toggleKind(kind)}
              />{' '}
              {kind}
            </label>
          ))}
          <label className="diff-column-filter">
            <span className="muted">where</span>
            <select
              data-testid="diff-column-filter"
              value={column}
              onChange={(event) => setColumn(event.target.value)}
            >
              <option value="">any column</option>
              {changedColumns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({formatCount(summary.changedCells[c.name] ?? 0)})
                </option>
              ))}
            </select>
            <span className="muted">changed</span>
          </label>
          <label>
            <input
              type="checkbox"
              data-testid="diff-only-changed-columns"
              checked={onlyChangedColumns}
              onChange={(event) => setOnlyChangedColumns(event.target.checked)}
            />{' '}
            only changed columns
          </label>
          <span className="spacer" />
          <span className="muted tabular" data-testid="diff-position">
            {cursor >= 0 ? `change ${formatCount(cursor + 1)} of ` : ''}
            {formatCount(count)} change{count === 1 ? '' : 's'}
          </span>
          <button
            type="button"
            data-testid="diff-previous"
            title="Previous change (p or ↑)"
            disabled={cursor <= 0}
            onClick={() => move(-1)}
          >
            ↑ Previous
          </button>
          <button
            type="button"
            data-testid="diff-next"
            title="Next change (n or ↓)"
            disabled={cursor >= count - 1}
            onClick={() => move(1)}
          >
            ↓ Next
          </button>
        </div>
      )}
      {error && <ErrorPanel error={error} title="Could not read the changes" />}
      {hasChanges && total !== undefined && (
        <DiffGrid
          columns={summary.columns}
          shown={shown}
          changedCells={summary.changedCells}
          nativeTypes={nativeTypes}
          total={count}
          row={row}
          cursor={cursor}
          onCursor={setCursor}
          onKey={onKey}
        />
      )}
    </>
  );
}
