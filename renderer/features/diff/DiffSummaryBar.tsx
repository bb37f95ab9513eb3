/** The counts at the top of a finished diff, how it was computed, and its plain-words notes. */
import type { DiffSummary } from '../../../shared/diff';
import { formatCount } from '../../format';
import { formatDuration } from '../upload/LoadStep';

const methods: Record<DiffSummary['method'], string> = {
  chunks: 'snapshot chunks compared by hash',
  stream: 'rows streamed in key order',
  'range-checksum': 'key ranges compared by checksums on the servers',
  multiset: 'whole rows compared as a multiset',
};

export function DiffSummaryBar({ summary }: { summary: DiffSummary }) {
  const { counts } = summary;
  return (
    <div className="diff-summary" data-testid="diff-summary">
      <div className="diff-counts tabular">
        <CountChip kind="added" sign="+" count={counts.added} />
        <CountChip kind="removed" sign="−" count={counts.removed} />
        <CountChip kind="changed" sign="~" count={counts.changed} />
        <span className="diff-count-chip" data-testid="diff-count-unchanged">
          {formatCount(counts.unchanged)} unchanged
        </span>
        {summary.equal && (
          <span className="diff-equal" data-testid="diff-equal">
            ✓ The two sides are equal
          </span>
        )}
      </div>
      <div className="muted small diff-method">
        {summary.keyed ? (
          <>
            Rows matched by <span className="mono">{summary.key.join(', ')}</span>
          </>
        ) : (
          'No key: whole rows compared'
        )}
        {' · '}
        {methods[summary.method]}
        {summary.chunks &&
          ` (${formatCount(summary.chunks.skipped)} of ${formatCount(summary.chunks.total)} chunks equal and skipped, ${formatCount(summary.chunks.decoded)} decoded)`}
        {summary.ranges &&
          ` (${formatCount(summary.ranges.differing)} range${summary.ranges.differing === 1 ? '' : 's'} differed)`}
        {' · '}
        {formatCount(summary.rowsRead.a + summary.rowsRead.b)} rows read in{' '}
        {formatDuration(summary.ms)}
        {summary.ignoreColumns.length > 0 && ` · ignoring ${summary.ignoreColumns.join(', ')}`}
        {summary.tolerance?.absolute !== undefined &&
          ` · numbers within ±${summary.tolerance.absolute} equal`}
      </div>
      {summary.note && <div className="diff-note">{summary.note}</div>}
    </div>
  );
}

/** A count of one kind of change, coloured only when there is any. */
function CountChip(props: { kind: 'added' | 'removed' | 'changed'; sign: string; count: number }) {
  const { kind, sign, count } = props;
  return (
    <span
      className={count > 0 ? `diff-count-chip ${kind}` : 'diff-count-chip'}
      data-testid={`diff-count-${kind}`}
    >
      {count > 0 ? sign : ''}
      {formatCount(count)} {kind}
    </span>
  );
}
