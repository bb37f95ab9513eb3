/**
 * A dataset node's compare entries: "Select for compare" remembers it; on any other dataset, in
 * any store, "Compare with …" then diffs the two (the selected one is A).
 */
import { useContext, type ReactNode } from 'react';
import { formatRef } from '../../../shared/dataset-ref';
import type { TreeNode } from '../../../shared/model';
import { TreeConnectionInfo } from '../connections/treeConnectionInfo';
import { useDiff } from './DiffProvider';

export function useTreeDiff(node: TreeNode): ((close: () => void) => ReactNode) | undefined {
  const connection = useContext(TreeConnectionInfo);
  const diff = useDiff();
  if (!connection || !diff || node.kind === 'schema') return undefined;
  const side = {
    side: { kind: 'dataset' as const, ref: { connectionId: connection.id, path: node.path } },
    label: formatRef(connection.name, node.path),
  };
  const selected = diff.selected;
  const isSelected = selected?.label === side.label;
  return (close) => [
    <button
      key="select"
      type="button"
      role="menuitem"
      className="menu-item"
      data-testid="tree-select-compare"
      onClick={() => {
        close();
        diff.select(isSelected ? undefined : side);
      }}
    >
      {isSelected ? 'Clear compare selection' : 'Select for compare'}
    </button>,
    selected && !isSelected && (
      <button
        key="compare"
        type="button"
        role="menuitem"
        className="menu-item"
        data-testid="tree-compare-selected"
        title={`${selected.label} is A (old), this dataset is B (new)`}
        onClick={() => {
          close();
          diff.compare({
            a: selected.side,
            b: side.side,
            aLabel: selected.label,
            bLabel: side.label,
          });
        }}
      >
        Compare with {selected.label}
      </button>
    ),
  ];
}

/** A CSV dropped on a dataset: besides uploading it, "What would this file change?". */
export function useTreeDropDiff(
  node: TreeNode,
): ((file: File, close: () => void) => ReactNode) | undefined {
  const connection = useContext(TreeConnectionInfo);
  const diff = useDiff();
  if (!connection || !diff || node.kind === 'schema') return undefined;
  const dataset = {
    side: { kind: 'dataset' as const, ref: { connectionId: connection.id, path: node.path } },
    label: formatRef(connection.name, node.path),
  };
  return (file, close) => (
    <button
      key="drop-compare"
      type="button"
      role="menuitem"
      className="menu-item"
      data-testid="tree-drop-compare"
      onClick={() => {
        close();
        diff.compareFile(dataset, file);
      }}
    >
      What would this file change? (compare)
    </button>
  );
}
