/** The window: sidebar with the connection tree, the selected dataset (or an empty state). */
import { useCallback, useState } from 'react';
import { formatRef } from '../shared/dataset-ref';
import type { ConnectionInfo, DatasetRef, TreeNode } from '../shared/model';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Toast, useToast } from './components/Toast';
import { DatasetView } from './features/browse/DatasetView';
import { ConnectionDialog, type DialogSeed } from './features/connections/ConnectionDialog';
import { Sidebar } from './features/connections/Sidebar';
import { useSqliteDrop } from './features/connections/useSqliteDrop';
import { DiffProvider, type DiffRequest } from './features/diff/DiffProvider';
import { DiffScreen } from './features/diff/DiffScreen';
import { UploadProvider, useUploadHost } from './features/upload/UploadProvider';
import type { SnapshotTarget } from './features/versions/SnapshotDialog';
import { VersionsProvider } from './features/versions/VersionsProvider';
import { VersionsScreen } from './features/versions/VersionsScreen';

interface Open {
  connection: ConnectionInfo;
  node: TreeNode;
}

export function App() {
  const [open, setOpen] = useState<Open>();
  // The history screen replaces the dataset in the main area until a dataset is picked again.
  const [history, setHistory] = useState<{ focus?: SnapshotTarget | undefined }>();
  // A diff covers both until it is closed; each request is a new screen.
  const [diff, setDiff] = useState<{ request: DiffRequest; id: number }>();
  const compare = useCallback(
    (request: DiffRequest) => setDiff((current) => ({ request, id: (current?.id ?? 0) + 1 })),
    [],
  );
  const [dialog, setDialog] = useState<DialogSeed>();
  const [toast, notify] = useToast();
  // Bumped when the open dataset's connection is reconnected or refreshed: its view fetches again
  // (schema, count, rows), keeping its sort and filters.
  const [generation, setGeneration] = useState(0);
  const openDialog = useCallback((seed: DialogSeed) => setDialog(seed), []);
  const select = useCallback((connection: ConnectionInfo, node: TreeNode) => {
    setHistory(undefined);
    setOpen({ connection, node });
  }, []);
  const showHistory = useCallback((focus?: SnapshotTarget) => {
    setDiff(undefined);
    setHistory({ focus });
  }, []);
  const upload = useUploadHost();
  const dragging = useSqliteDrop(openDialog, upload.open);
  const openUploaded = useCallback((connection: ConnectionInfo, path: string[]) => {
    setHistory(undefined);
    setOpen({
      connection,
      node: { id: path.join('.'), label: path[path.length - 1] ?? '', kind: 'table', path },
    });
  }, []);
  // A load into the dataset on screen shows its new rows.
  const uploaded = useCallback(
    (ref: DatasetRef) => {
      const onScreen = open && formatRef(open.connection.id, open.node.path);
      if (onScreen === formatRef(ref.connectionId, ref.path)) setGeneration((n) => n + 1);
    },
    [open],
  );
  // A restore wrote a dataset: its connection's tree lists it, a view of it shows its rows.
  const { notify: treeChanged } = upload.context;
  const restored = useCallback(
    (ref: DatasetRef) => {
      treeChanged(ref.connectionId);
      uploaded(ref);
    },
    [treeChanged, uploaded],
  );

  return (
    <UploadProvider host={upload} onOpenDataset={openUploaded} onLoaded={uploaded}>
      <DiffProvider onCompare={compare}>
        <VersionsProvider
          onShowHistory={showHistory}
          onWritten={restored}
          onOpenDataset={openUploaded}
          notify={notify}
        >
          <div className="app">
            <ConnectionBanner />
            <div className="app-body">
              <Sidebar
                selected={open && { connectionId: open.connection.id, path: open.node.path }}
                onSelect={select}
                onAdd={() => setDialog({})}
                onShowVersions={() => showHistory()}
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
                {diff ? (
                  <DiffScreen
                    key={diff.id}
                    request={diff.request}
                    onClose={() => setDiff(undefined)}
                  />
                ) : history ? (
                  <VersionsScreen focus={history.focus} onShowAll={() => showHistory()} />
                ) : open ? (
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
                      Or add a connection with + (you can also drop a SQLite file on the window, or
                      a CSV to upload it).
                    </div>
                  </div>
                )}
              </main>
            </div>
            {dragging && (
              <div className="drop-overlay">
                Drop a SQLite file to add it, or a CSV to upload it (onto a table or folder to load
                it there)
              </div>
            )}
            {dialog && <ConnectionDialog seed={dialog} onClose={() => setDialog(undefined)} />}
            <Toast message={toast} />
          </div>
        </VersionsProvider>
      </DiffProvider>
    </UploadProvider>
  );
}
