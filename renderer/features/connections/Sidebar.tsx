/**
 * The left sidebar: connections as a tree, the add button, and per connection a small menu
 * (refresh, edit, duplicate, delete with confirmation) and Reconnect when its store could not be
 * reached.
 */
import { useState } from 'react';
import type { ConnectionInfo, TreeNode } from '../../../shared/model';
import { api, toAppError } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ConnectionNode, type DatasetSelection } from './ConnectionNode';
import { SidebarResizer, useSidebarWidth } from './SidebarResizer';
import { useConnections } from './useConnections';
import './connections.css';

interface Props {
  selected: DatasetSelection | undefined;
  onSelect: (connection: ConnectionInfo, node: TreeNode) => void;
  onAdd: () => void;
  /** Opens the history of every snapshot in the versions store. */
  onShowVersions?: () => void;
  onEdit: (connection: ConnectionInfo) => void;
  onRemoved: (connectionId: string) => void;
  /** The connection was reopened or its tree refetched: views of it should fetch again. */
  onReconnected: (connectionId: string) => void;
  notify: (message: string) => void;
}

export function Sidebar(props: Props) {
  const { selected, onSelect, onAdd, onShowVersions, onEdit, onRemoved, onReconnected, notify } =
    props;
  const { connections, error, jobs, reload } = useConnections();
  const [removing, setRemoving] = useState<ConnectionInfo>();
  const [width, setWidth] = useSidebarWidth();
  // Bumped by a reconnect, so that connection's node mounts afresh and fetches its tree again.
  const [generations, setGenerations] = useState<Record<string, number>>({});

  const remove = async (connection: ConnectionInfo) => {
    setRemoving(undefined);
    try {
      await api.removeConnection({ connectionId: connection.id });
      onRemoved(connection.id);
      notify(`Removed “${connection.name}”`);
      reload();
    } catch (failure) {
      notify(`Could not remove: ${toAppError(failure).message}`);
    }
  };

  const duplicate = async (connection: ConnectionInfo) => {
    try {
      const copy = await api.duplicateConnection({ connectionId: connection.id });
      notify(`Duplicated as “${copy.name}”`);
      reload();
    } catch (failure) {
      notify(`Could not duplicate: ${toAppError(failure).message}`);
    }
  };

  const reconnected = (connectionId: string) => {
    setGenerations((current) => ({ ...current, [connectionId]: (current[connectionId] ?? 0) + 1 }));
    onReconnected(connectionId);
    reload();
  };

  return (
    <aside className="sidebar" style={{ width }}>
      <div className="sidebar-head">
        <span className="sidebar-title">Connections</span>
        {onShowVersions && (
          <button
            type="button"
            className="sidebar-link"
            title="Every snapshot in the versions store, by dataset"
            data-testid="show-versions"
            onClick={onShowVersions}
          >
            Versions
          </button>
        )}
        <button
          type="button"
          className="icon-button"
          aria-label="Add connection"
          title="Add connection"
          data-testid="add-connection"
          onClick={onAdd}
        >
          +
        </button>
      </div>
      <div className="tree" role="tree" aria-label="Connections">
        {error && <ErrorPanel error={error} />}
        {connections?.map((connection) => (
          <ConnectionNode
            key={`${connection.id}:${generations[connection.id] ?? 0}`}
            connection={connection}
            jobs={jobs}
            selected={selected}
            onSelect={onSelect}
            actions={{
              onEdit: () => onEdit(connection),
              onDuplicate: () => void duplicate(connection),
              onDelete: () => setRemoving(connection),
            }}
            onReconnected={reconnected}
            onRefreshed={onReconnected}
          />
        ))}
        {connections?.length === 0 && (
          <p className="tree-message muted">
            No connections yet. Add one with +, or drop a SQLite file here.
          </p>
        )}
      </div>
      <SidebarResizer width={width} onResize={setWidth} />
      {removing && (
        <ConfirmDialog
          title="Delete connection"
          confirmLabel="Delete"
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(undefined)}
        >
          Delete the saved connection “{removing.name}” and its saved passwords? The store itself
          (database, bucket, files) is not touched.
        </ConfirmDialog>
      )}
    </aside>
  );
}
