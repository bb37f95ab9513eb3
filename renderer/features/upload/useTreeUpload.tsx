/**
 * Uploading onto a tree node: drop a CSV on a dataset (append to it) or on a schema / folder
 * (create a dataset there), or right-click the node for "Upload CSV…". The node's connection comes
 * from `TreeConnection`, which the connection's node provides around its children.
 */
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useState,
  type DragEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import type { TreeNode } from '../../../shared/model';
import { csvFile } from './uploadModel';
import { seedForFile, useUpload } from './UploadProvider';

export const TreeConnection = createContext<string | undefined>(undefined);

const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

export interface TreeUpload {
  /** Spread on the node's row. */
  rowProps: {
    'data-drop-target'?: boolean;
    onDragOver?: (event: DragEvent) => void;
    onDragLeave?: () => void;
    onDrop?: (event: DragEvent) => void;
    onContextMenu?: (event: MouseEvent) => void;
  };
  /** The node's context menu, when open. */
  menu: ReactNode;
}

/**
 * `moreItems` adds other features' entries (snapshot, history…) to the node's context menu; they
 * get a `close` to call when chosen. With `dropChoices`, a CSV dropped on a table asks what to do
 * (upload it, or the choices given, such as "What would this file change?") instead of starting
 * the upload at once.
 */
export function useTreeUpload(
  node: TreeNode,
  moreItems?: (close: () => void) => ReactNode,
  dropChoices?: (file: File, close: () => void) => ReactNode,
): TreeUpload {
  const connectionId = useContext(TreeConnection);
  const upload = useUpload();
  const [over, setOver] = useState(false);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number }>();
  const [dropped, setDropped] = useState<File>();
  // Views and keyspaces are not written to; only tables and folders take a file.
  const accepts = node.kind === 'schema' || node.kind === 'table';
  const uploads = !!connectionId && !!upload && accepts;
  if (!uploads && !moreItems) return { rowProps: {}, menu: null };
  const folder = node.kind === 'schema';
  const open = (file?: File) =>
    connectionId &&
    upload?.({
      connectionId,
      targetPath: node.path,
      mode: folder ? 'create' : 'append',
      ...(file ? seedForFile(file) : {}),
    });
  const close = () => {
    setMenuAt(undefined);
    setDropped(undefined);
  };
  const dropProps: TreeUpload['rowProps'] = uploads
    ? {
        ...(over ? { 'data-drop-target': true } : {}),
        onDragOver: (event) => {
          if (hasFiles(event)) setOver(true);
        },
        onDragLeave: () => setOver(false),
        onDrop: (event) => {
          setOver(false);
          const file = event.dataTransfer.files[0];
          // Anything else (a SQLite file…) is left to the window's own drop handler.
          if (!file || !csvFile.test(file.name)) return;
          event.preventDefault();
          if (dropChoices && !folder) {
            setDropped(file);
            setMenuAt({ x: event.clientX, y: event.clientY });
          } else {
            open(file);
          }
        },
      }
    : {};
  return {
    rowProps: {
      ...dropProps,
      onContextMenu: (event) => {
        event.preventDefault();
        setDropped(undefined);
        setMenuAt({ x: event.clientX, y: event.clientY });
      },
    },
    menu:
      menuAt &&
      (dropped ? (
        <NodeMenu at={menuAt} onClose={close}>
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            data-testid="tree-drop-upload"
            onClick={() => {
              close();
              open(dropped);
            }}
          >
            Upload “{dropped.name}” into this table…
          </button>
          {dropChoices?.(dropped, close)}
        </NodeMenu>
      ) : (
        <NodeMenu at={menuAt} onClose={close}>
          {uploads && (
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              data-testid="tree-upload"
              onClick={() => {
                close();
                open();
              }}
            >
              {folder ? 'Upload CSV here…' : 'Upload CSV into this table…'}
            </button>
          )}
          {moreItems?.(close)}
        </NodeMenu>
      )),
  };
}

function NodeMenu(props: {
  at: { x: number; y: number };
  onClose: () => void;
  children: ReactNode;
}) {
  const { at, onClose, children } = props;
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const close = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) onClose();
    };
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', escape);
    };
  }, [onClose]);
  return (
    <div
      ref={root}
      className="menu node-menu"
      role="menu"
      style={{ left: at.x, top: at.y }}
      onClick={(event) => event.stopPropagation()}
    >
      {children}
    </div>
  );
}
