/** The left sidebar: connections as a tree, the add button, and removal with confirmation. */
import { useState } from 'react';
import type { ConnectionInfo, TreeNode } from '../../../shared/model';
import { api, toAppError } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ConnectionNode, type DatasetSelection } from './ConnectionNode';
import { useConnections } from './useConnections';

interface Props {
  selected: DatasetSelection | undefined;
  onSelect: (connection: ConnectionInfo, node: TreeNode) => void;
  onAdd: () => void;
  onRemoved: (connectionId: string) => void;
  notify: (message: string) => void;
}

export function Sidebar({ selected, onSelect, onAdd, onRemoved, notify }: Props) {
  const { connections, error, jobs, reload } = useConnections();
  const [removing, setRemoving] = useState<ConnectionInfo>();

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

  return (
    <aside className="sidebar">
      <div className="sidebar-head">
        <span className="sidebar-title">Connections</span>
        <button
          type="button"
          className="icon-button"
          aria-label="Add SQLite connection"
          title="Add SQLite connection"
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
            key={connection.id}
            connection={connection}
            jobs={jobs}
            selected={selected}
            onSelect={onSelect}
            onRemove={setRemoving}
          />
        ))}
        {connections?.length === 0 && (
          <p className="tree-message muted">
            No connections yet. Add a SQLite file with +, or drop one here.
          </p>
        )}
      </div>
      {removing && (
        <ConfirmDialog
          title="Remove connection"
          confirmLabel="Remove"
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(undefined)}
        >
          Remove “{removing.name}” from Strata? The database file itself is not touched.
        </ConfirmDialog>
      )}
    </aside>
  );
}
