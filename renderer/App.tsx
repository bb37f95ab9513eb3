/** The window: sidebar with the connection tree, the selected dataset (or an empty state). */
import { useCallback, useState } from 'react';
import type { ConnectionInfo, TreeNode } from '../shared/model';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Toast, useToast } from './components/Toast';
import { DatasetView } from './features/browse/DatasetView';
import { AddConnectionDialog, type DialogSeed } from './features/connections/AddConnectionDialog';
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
  const openDialog = useCallback((seed: DialogSeed) => setDialog(seed), []);
  const dragging = useSqliteDrop(openDialog);

  return (
    <div className="app">
      <ConnectionBanner />
      <div className="app-body">
        <Sidebar
          selected={open && { connectionId: open.connection.id, path: open.node.path }}
          onSelect={(connection, node) => setOpen({ connection, node })}
          onAdd={() => setDialog({})}
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
              notify={notify}
            />
          ) : (
            <div className="empty-state">
              <div className="empty-title">Pick a table on the left to browse it</div>
              <div className="muted">
                Or add a SQLite file with + (you can also drop it on the window).
              </div>
            </div>
          )}
        </main>
      </div>
      {dragging && <div className="drop-overlay">Drop a SQLite file to add it</div>}
      {dialog && <AddConnectionDialog seed={dialog} onClose={() => setDialog(undefined)} />}
      <Toast message={toast} />
    </div>
  );
}
