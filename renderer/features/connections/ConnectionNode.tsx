/**
 * One connection in the sidebar tree and, once expanded, its schemas and datasets. The tree is
 * fetched when the connection is ready (the demo is not, while its data is generated) and again
 * on Refresh (tables created or dropped since). When its store could not be reached, a Reconnect
 * action reopens it and fetches again.
 */
import { useCallback, useMemo, useState } from 'react';
import type { ConnectionInfo, JobProgress, TreeNode } from '../../../shared/model';
import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { EngineMark, engineLabels } from '../../components/TreeGlyphs';
import { useAsync } from '../../hooks/useAsync';
import { useRefreshAfterUpload, useUpload } from '../upload/UploadProvider';
import { TreeConnection } from '../upload/useTreeUpload';
import { ConnectionMenu, type ConnectionActions } from './ConnectionMenu';
import { NodeList, pathKey } from './DatasetNode';
import { TreeConnectionInfo } from './treeConnectionInfo';
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
  /** The tree was fetched again on request: views of this connection should fetch again too. */
  onRefreshed: (connectionId: string) => void;
}

export function ConnectionNode(props: Props) {
  const { connection, jobs, selected, onSelect, actions, onReconnected, onRefreshed } = props;
  const [expanded, setExpanded] = useState(true);
  const [refreshes, setRefreshes] = useState(0);
  const ready = connection.status.state === 'ready';
  // After a reconnect the sidebar mounts this node afresh, which fetches the tree again.
  const reconnection = useReconnect(connection.id);
  const loadTree = useCallback(
    (signal: AbortSignal) => api.getTree({ connectionId: connection.id }, { signal }),
    // `refreshes` is a dependency on purpose: a new callback fetches the tree again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [connection.id, refreshes],
  );
  const tree = useAsync(ready && expanded ? loadTree : undefined);
  const progress = preparingProgress(connection, jobs);
  const selectedPath =
    selected?.connectionId === connection.id ? pathKey(selected.path) : undefined;
  const select = useCallback(
    (node: TreeNode) => onSelect(connection, node),
    [onSelect, connection],
  );
  const refresh = useCallback(() => {
    setExpanded(true);
    setRefreshes((n) => n + 1);
    onRefreshed(connection.id);
  }, [onRefreshed, connection.id]);
  // A finished upload into this connection may have created a dataset: list it.
  useRefreshAfterUpload(connection.id, refresh);
  const upload = useUpload();
  const menuActions = useMemo(
    () => ({
      ...actions,
      onRefresh: refresh,
      ...(upload ? { onUpload: () => upload({ connectionId: connection.id }) } : {}),
    }),
    [actions, refresh, upload, connection.id],
  );
  const engine = engineLabels[connection.kind].label;

  return (
    <>
      <div
        role="treeitem"
        aria-level={1}
        aria-expanded={expanded}
        data-testid="tree-connection"
        data-connection-id={connection.id}
        data-engine={engine}
        aria-busy={tree.loading}
        className="tree-row tree-connection"
        title={`${engine} · ${connection.target}`}
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
        <EngineMark kind={connection.kind} />
        <span className="tree-connection-text">
          <span className="tree-label">{connection.name}</span>
          <span className="engine-label" data-testid="engine-label">
            {engine} · {connection.target}
          </span>
        </span>
        {connection.readOnly && <span className="badge">read-only</span>}
        <button
          type="button"
          className={
            tree.loading ? 'tree-action refresh-action busy' : 'tree-action refresh-action'
          }
          aria-label={`Refresh ${connection.name}`}
          title="Refresh: fetch the tree again"
          data-testid="tree-refresh"
          disabled={!ready}
          onClick={(event) => {
            event.stopPropagation();
            refresh();
          }}
        >
          ↻
        </button>
        <ConnectionMenu name={connection.name} actions={menuActions} />
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
        <>
          <TreeConnection.Provider value={connection.id}>
            <TreeConnectionInfo.Provider value={connection}>
              <NodeList
                nodes={tree.value}
                level={2}
                selectedPath={selectedPath}
                onSelect={select}
              />
            </TreeConnectionInfo.Provider>
          </TreeConnection.Provider>
          {tree.value.length === 0 && <div className="tree-message muted">No tables</div>}
        </>
      )}
    </>
  );
}
