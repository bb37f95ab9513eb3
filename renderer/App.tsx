/** The window: sidebar with the connection tree, the selected dataset (or an empty state). */
import { useCallback, useState } from 'react';
import type { ConnectionInfo, TreeNode } from '../shared/model';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Toast, useToast } from './components/Toast';
import { DatasetView } from './features/browse/DatasetView';
import { ConnectionDialog, type DialogSeed } from './features/connections/ConnectionDialog';
import { Sidebar } from './features/connections/Sidebar';
import { useSqliteDrop } from './features/connections/useSqliteDrop';

interface Open {
  connection: ConnectionInfo;
  node: TreeNode;
}

export function App() {
  const [open, setOpen] = useState<Open>();
  const [dialog, setDialog] = useState<DialogSeed>();
  const [toast, notify] = useToast();
  // Bumped when the open dataset's connection is reconnected or refreshed: its view fetches again
  // (schema, count, rows), keeping its sort and filters.
  const [generation, setGeneration] = useState(0);
  const openDialog = useCallback((seed: DialogSeed) => setDialog(seed), []);
  const select = useCallback(
    (connection: ConnectionInfo, node: TreeNode) => setOpen({ connection, node }),
    [],
  );
  const dragging = useSqliteDrop(openDialog);

  return (
    <div className="app">
      <ConnectionBanner />
      <div className="app-body">
        <Sidebar
          selected={open && { connectionId: open.connection.id, path: open.node.path }}
          onSelect={select}
          onAdd={() => setDialog({})}
          onEdit={(connection) => setDialog({ edit: connection })}
          onReconnected={(id) => {
            if (open?.connection.id === id) setGeneration((n) => n + 1);
          }}
          onRemoved={(id) =>
            setOpen((current) => (current?.connection.id === id ? undefined : current))
          }
          notify={notify}
        />
        <main className="main">
          {open ? (
            <DatasetView
              key={`${open.connection.id}#${open.node.path.join('\u0000')}`}
              connection={open.connection}
              node={open.node}
              generation={generation}
              notify={notify}
            />
          ) : (
            <div className="empty-state">
              <div className="empty-title">Pick a table on the left to browse it</div>
              <div className="muted">
                Or add a connection with + (you can also drop a SQLite file on the window).
              </div>
            </div>
          )}
        </main>
      </div>
      {dragging && <div className="drop-overlay">Drop a SQLite file to add it</div>}
      {dialog && <ConnectionDialog seed={dialog} onClose={() => setDialog(undefined)} />}
      <Toast message={toast} />
    </div>
  );
}
