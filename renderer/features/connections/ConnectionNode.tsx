/**
 * One connection in the sidebar tree and, once expanded, its schemas and datasets. The tree is
 * fetched when the connection is ready (the demo is not, while its data is generated). When its
 * store could not be reached, a Reconnect action reopens it and fetches again.
 */
import { useCallback, useState } from 'react';
import type { ConnectionInfo, JobProgress, TreeNode } from '../../../shared/model';
import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { useAsync } from '../../hooks/useAsync';
import { ConnectionMenu, type ConnectionActions } from './ConnectionMenu';
import { DatasetNode } from './DatasetNode';
import { useReconnect } from './useReconnect';
import { preparingProgress } from './useConnections';

export interface DatasetSelection {
  connectionId: string;
  path: string[];
}

interface Props {
  connection: ConnectionInfo;
  jobs: Record<string, JobProgress>;
  selected: DatasetSelection | undefined;
  onSelect: (connection: ConnectionInfo, node: TreeNode) => void;
  actions: ConnectionActions;
  onReconnected: (connectionId: string) => void;
}

export function ConnectionNode(props: Props) {
  const { connection, jobs, selected, onSelect, actions, onReconnected } = props;
  const [expanded, setExpanded] = useState(true);
  const ready = connection.status.state === 'ready';
  // After a reconnect the sidebar mounts this node afresh, which fetches the tree again.
  const reconnection = useReconnect(connection.id);
  const loadTree = useCallback(
    (signal: AbortSignal) => api.getTree({ connectionId: connection.id }, { signal }),
    [connection.id],
  );
  const tree = useAsync(ready && expanded ? loadTree : undefined);
  const progress = preparingProgress(connection, jobs);
  const isSelected = (node: TreeNode) =>
    selected?.connectionId === connection.id && selected.path.join('.') === node.path.join('.');

  return (
    <>
      <div
        role="treeitem"
        aria-level={1}
        aria-expanded={expanded}
        data-testid="tree-connection"
        data-connection-id={connection.id}
        className="tree-row tree-connection"
        title={connection.target}
        // A click on the name opens the connection; only the chevron closes it again.
        onClick={() => setExpanded(true)}
      >
        <button
          type="button"
          className="tree-chevron"
          aria-label={expanded ? 'Collapse' : 'Expand'}
          onClick={(event) => {
            event.stopPropagation();
            setExpanded(!expanded);
          }}
        >
          {expanded ? '▾' : '▸'}
        </button>
        <span className="tree-icon db-icon" aria-hidden>
          ◫
        </span>
        <span className="tree-label">{connection.name}</span>
        {connection.readOnly && <span className="badge">read-only</span>}
        <ConnectionMenu name={connection.name} actions={actions} />
      </div>
      {progress && (
        <div className="tree-progress">
          <ProgressBar label={progress.label} done={progress.done} total={progress.total} />
        </div>
      )}
      {connection.status.state === 'error' && (
        <div className="tree-message error-text">{connection.status.message}</div>
      )}
      {expanded && tree.error && !connection.lastFailure && (
        <div className="tree-message">
          <ErrorPanel error={tree.error} />
        </div>
      )}
      {connection.lastFailure && (
        <div className="tree-message reconnect-box">
          <div className="error-text">{connection.lastFailure.message}</div>
          {connection.lastFailure.hint && (
            <div className="muted small">{connection.lastFailure.hint}</div>
          )}
          {reconnection.error && <ErrorPanel error={reconnection.error} />}
          <button
            type="button"
            data-testid="reconnect"
            disabled={reconnection.busy}
            onClick={() =>
              void reconnection.reconnect().then((ok) => ok && onReconnected(connection.id))
            }
          >
            {reconnection.busy ? 'Reconnecting…' : 'Reconnect'}
          </button>
        </div>
      )}
      {expanded && ready && tree.loading && !tree.value && (
        <div className="tree-message muted">Loading…</div>
      )}
      {expanded && tree.value && (
        <div role="group">
          {tree.value.map((node) => (
            <DatasetNode
              key={node.id}
              node={node}
              level={2}
              isSelected={isSelected}
              onSelect={(picked) => onSelect(connection, picked)}
            />
          ))}
          {tree.value.length === 0 && <div className="tree-message muted">No tables</div>}
        </div>
      )}
    </>
  );
}
