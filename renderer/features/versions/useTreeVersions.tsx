/**
 * A dataset node's versions entries in its context menu: Snapshot…, History (and Compare, once
 * the diff screen is there). Schemas and folders get none.
 */
import { useContext, type ReactNode } from 'react';
import type { TreeNode } from '../../../shared/model';
import { TreeConnectionInfo } from '../connections/treeConnectionInfo';
import { useVersions } from './VersionsProvider';

export function useTreeVersions(node: TreeNode): ((close: () => void) => ReactNode) | undefined {
  const connection = useContext(TreeConnectionInfo);
  const versions = useVersions();
  if (!connection || !versions || node.kind === 'schema') return undefined;
  const target = {
    ref: { connectionId: connection.id, path: node.path },
    connectionName: connection.name,
  };
  const item = (label: string, testId: string, run: () => void, close: () => void) => (
    <button
      key={testId}
      type="button"
      role="menuitem"
      className="menu-item"
      data-testid={testId}
      onClick={() => {
        close();
        run();
      }}
    >
      {label}
    </button>
  );
  return (close) => [
    item('Snapshot…', 'tree-snapshot', () => versions.snapshot(target), close),
    item('History', 'tree-history', () => versions.showHistory(target), close),
  ];
}
