/**
 * Mounts the versions dialogs once for the window (snapshot, restore, export, delete) and lets
 * any part of it open them: the dataset header, a tree node's context menu, the history screen.
 * `revision` changes whenever the store's snapshots change, so history lists fetch again.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { ConnectionInfo, DatasetRef } from '../../../shared/model';
import type { SnapshotInfo } from '../../../shared/versions';
import { api } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatBytes, formatCount } from '../../format';
import { PathDialog } from './PathDialog';
import { RestoreDialog } from './RestoreDialog';
import { SnapshotDialog, type SnapshotTarget } from './SnapshotDialog';
import { shortId } from './versionsFormat';
import './versions.css';

export interface VersionsActions {
  snapshot: (target: SnapshotTarget) => void;
  restore: (snapshot: SnapshotInfo) => void;
  exportSnapshot: (snapshot: SnapshotInfo) => void;
  deleteSnapshot: (snapshot: SnapshotInfo) => void;
  /** Opens the history screen, on one dataset or (no argument) on every store. */
  showHistory: (focus?: SnapshotTarget) => void;
  /** Tells history lists that snapshots were added or removed. */
  changed: () => void;
  revision: number;
}

const VersionsContext = createContext<VersionsActions | undefined>(undefined);

type Open =
  | { kind: 'snapshot'; target: SnapshotTarget }
  | { kind: 'restore'; snapshot: SnapshotInfo }
  | { kind: 'export'; snapshot: SnapshotInfo }
  | { kind: 'delete'; snapshot: SnapshotInfo };

interface Props {
  children: ReactNode;
  onShowHistory: (focus?: SnapshotTarget) => void;
  /** A restore wrote this dataset: its connection's tree and any view of it fetch again. */
  onWritten: (ref: DatasetRef) => void;
  onOpenDataset: (connection: ConnectionInfo, path: string[]) => void;
  notify: (message: string) => void;
}

export function VersionsProvider(props: Props) {
  const { children, onShowHistory, onWritten, onOpenDataset, notify } = props;
  const [open, setOpen] = useState<Open>();
  const [revision, setRevision] = useState(0);
  const changed = useCallback(() => setRevision((n) => n + 1), []);
  const close = useCallback(() => setOpen(undefined), []);

  const actions = useMemo<VersionsActions>(
    () => ({
      snapshot: (target) => setOpen({ kind: 'snapshot', target }),
      restore: (snapshot) => setOpen({ kind: 'restore', snapshot }),
      exportSnapshot: (snapshot) => setOpen({ kind: 'export', snapshot }),
      deleteSnapshot: (snapshot) => setOpen({ kind: 'delete', snapshot }),
      showHistory: onShowHistory,
      changed,
      revision,
    }),
    [onShowHistory, changed, revision],
  );

  const restored = useCallback(
    (connection: ConnectionInfo, path: string[]) =>
      onWritten({ connectionId: connection.id, path }),
    [onWritten],
  );

  const remove = async (snapshot: SnapshotInfo) => {
    setOpen(undefined);
    try {
      await api.deleteSnapshot({ snapshotId: snapshot.id });
      notify(`Deleted snapshot ${shortId(snapshot.id)}; Collect garbage frees its chunks`);
      changed();
    } catch (failure) {
      notify(`Could not delete: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  };

  return (
    <VersionsContext.Provider value={actions}>
      {children}
      {open?.kind === 'snapshot' && (
        <SnapshotDialog
          target={open.target}
          onClose={close}
          onTaken={changed}
          onShowHistory={() => {
            close();
            onShowHistory(open.target);
          }}
        />
      )}
      {open?.kind === 'restore' && (
        <RestoreDialog
          snapshot={open.snapshot}
          onClose={close}
          onRestored={restored}
          onOpenDataset={(connection, path) => {
            close();
            onOpenDataset(connection, path);
          }}
        />
      )}
      {open?.kind === 'export' && (
        <PathDialog
          title={`Export snapshot ${shortId(open.snapshot.id)}`}
          label="Write the snapshot (manifest and every chunk) to the file"
          initialPath={`${open.snapshot.dataset.path.join('.')}-${shortId(open.snapshot.id)}.strata-snapshot`}
          confirmLabel="Export"
          testId="export-dialog"
          pick={{ mode: 'save', title: 'Export snapshot', extensions: ['strata-snapshot'] }}
          onClose={close}
          onSubmit={async (file) => {
            const result = await api.exportSnapshot({ snapshotId: open.snapshot.id, file });
            return (
              <>
                ✓ Exported to <span className="mono">{result.file}</span>:{' '}
                {formatBytes(result.bytes)}, {formatCount(result.objects)} objects.
              </>
            );
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete snapshot"
          confirmLabel="Delete"
          onConfirm={() => void remove(open.snapshot)}
          onCancel={close}
        >
          Delete snapshot <span className="mono strong">{shortId(open.snapshot.id)}</span> of{' '}
          <span className="mono">{open.snapshot.dataset.ref}</span>
          {open.snapshot.message && <> (“{open.snapshot.message}”)</>}? It can no longer be
          restored. Chunks other snapshots share are kept.
        </ConfirmDialog>
      )}
    </VersionsContext.Provider>
  );
}

/** The versions actions; undefined outside a VersionsProvider (the actions are then not offered). */
export function useVersions(): VersionsActions | undefined {
  return useContext(VersionsContext);
}
