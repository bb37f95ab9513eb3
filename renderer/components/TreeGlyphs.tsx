/**
 * The small marks the tree and the dataset header share: a lettered badge per dataset kind
 * (T table, V view, M materialized view, K keyspace), a folder for schemas, databases, buckets
 * and folders, an engine mark per connection, and a row count that says when it is an estimate.
 */
import type { ConnectionKind, TreeNode } from '../../shared/model';
import { formatCount } from '../format';

type DatasetNodeKind = Exclude<TreeNode['kind'], 'schema'>;

const datasetKinds: Record<DatasetNodeKind, { letter: string; title: string }> = {
  table: { letter: 'T', title: 'Table' },
  view: { letter: 'V', title: 'View' },
  'materialized-view': { letter: 'M', title: 'Materialized view' },
  keyspace: { letter: 'K', title: 'Keys (namespace)' },
};

export function KindBadge({ kind }: { kind: TreeNode['kind'] }) {
  if (kind === 'schema') return <FolderGlyph />;
  const { letter, title } = datasetKinds[kind];
  return (
    <span className={`kind-badge kind-${kind}`} title={title} aria-label={title}>
      {letter}
    </span>
  );
}

export function FolderGlyph() {
  return (
    <svg className="folder-glyph" width="14" height="14" viewBox="0 0 16 16" aria-hidden>
      <path
        d="M1.5 4.2c0-.7.5-1.2 1.2-1.2h3.4l1.5 1.6h5.7c.7 0 1.2.5 1.2 1.2v6.5c0 .7-.5 1.2-1.2 1.2H2.7c-.7 0-1.2-.5-1.2-1.2z"
        fill="currentColor"
        fillOpacity="0.16"
        stroke="currentColor"
        strokeWidth="1.1"
      />
    </svg>
  );
}

/** How each engine is named in the tree; a label, never a branch in behaviour. */
export const engineLabels: Record<ConnectionKind, { label: string; mark: string }> = {
  sqlite: { label: 'SQLite', mark: 'SQ' },
  postgres: { label: 'PostgreSQL', mark: 'PG' },
  mysql: { label: 'MariaDB', mark: 'MY' },
  mongodb: { label: 'MongoDB', mark: 'MG' },
  redis: { label: 'Redis', mark: 'RD' },
  s3: { label: 'S3', mark: 'S3' },
  files: { label: 'Folder', mark: 'FS' },
};

export function EngineMark({ kind }: { kind: ConnectionKind }) {
  const { label, mark } = engineLabels[kind];
  return (
    <span className={`engine-mark engine-${kind}`} title={label} aria-hidden>
      {mark}
    </span>
  );
}

/** `12,345`, or `~12,345` with an "estimated" tooltip when the engine only estimated it. */
export function RowCount({ count, exact }: { count: number; exact: boolean | undefined }) {
  const estimated = exact === false;
  return (
    <span
      className="tree-count"
      data-testid="tree-count"
      data-estimated={estimated ? 'true' : 'false'}
      title={estimated ? 'estimated' : `${formatCount(count)} rows`}
    >
      {estimated ? '~' : ''}
      {formatCount(count)}
    </span>
  );
}
