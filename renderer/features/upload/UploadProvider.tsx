/**
 * Mounts the upload wizard once for the window and lets any part of it start an upload: the
 * window's drop handler (through `useUploadHost().open`), tree nodes (drop or context menu), the
 * connection menu and the dataset header (through `useUpload()`). A finished load tells the tree
 * of its connection to fetch again.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { ConnectionInfo, DatasetRef } from '../../../shared/model';
import { pathForDroppedFile } from '../../api';
import type { UploadSeed } from './uploadModel';
import { UploadWizard } from './UploadWizard';

type Listener = (connectionId: string) => void;

interface UploadContextValue {
  open: (seed: UploadSeed) => void;
  subscribe: (listener: Listener) => () => void;
  notify: Listener;
}

const UploadContext = createContext<UploadContextValue | undefined>(undefined);

export interface UploadHost {
  /** Starts the wizard (one at a time: a new start replaces a wizard that is not running). */
  open: (seed: UploadSeed) => void;
  context: UploadContextValue;
  current: { seed: UploadSeed; id: number } | undefined;
  close: () => void;
}

/** The window's upload state; App keeps it so its own drop handler can start uploads too. */
export function useUploadHost(): UploadHost {
  const [current, setCurrent] = useState<{ seed: UploadSeed; id: number }>();
  const listeners = useRef(new Set<Listener>());
  const context = useMemo<UploadContextValue>(
    () => ({
      open: (seed) => setCurrent((previous) => ({ seed, id: (previous?.id ?? 0) + 1 })),
      subscribe: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      notify: (connectionId) => {
        for (const listener of listeners.current) listener(connectionId);
      },
    }),
    [],
  );
  const close = useCallback(() => setCurrent(undefined), []);
  return { open: context.open, context, current, close };
}

interface Props {
  host: UploadHost;
  children: ReactNode;
  /** "Open dataset" after a load. */
  onOpenDataset: (connection: ConnectionInfo, path: string[]) => void;
  /** A dataset was written (created, appended to or replaced). */
  onLoaded?: (ref: DatasetRef) => void;
}

export function UploadProvider({ host, children, onOpenDataset, onLoaded }: Props) {
  const { context, current, close } = host;
  const loaded = useCallback(
    (ref: DatasetRef) => {
      context.notify(ref.connectionId);
      onLoaded?.(ref);
    },
    [context, onLoaded],
  );
  return (
    <UploadContext.Provider value={context}>
      {children}
      {current && (
        <UploadWizard
          key={current.id}
          seed={current.seed}
          onClose={close}
          onLoaded={loaded}
          onOpenDataset={(connection, path) => {
            close();
            onOpenDataset(connection, path);
          }}
        />
      )}
    </UploadContext.Provider>
  );
}

/** Starts an upload; undefined outside an UploadProvider (the action is then not offered). */
export function useUpload(): ((seed: UploadSeed) => void) | undefined {
  return useContext(UploadContext)?.open;
}

/** Calls `refresh` when a load into this connection finished (its tree has a new dataset). */
export function useRefreshAfterUpload(connectionId: string, refresh: () => void): void {
  const context = useContext(UploadContext);
  useEffect(
    () => context?.subscribe((id) => id === connectionId && refresh()),
    [context, connectionId, refresh],
  );
}

/** What the wizard can know about a dropped or picked file: its path in Electron, else its name. */
export function seedForFile(file: File): Pick<UploadSeed, 'filePath' | 'fileName' | 'note'> {
  const path = pathForDroppedFile(file);
  if (path) return { filePath: path, fileName: file.name };
  return {
    fileName: file.name,
    note: `The browser does not reveal where “${file.name}” is stored. Type its full path on this machine.`,
  };
}
