/** A schema (expandable) or a table/view (selectable, with its row count) in the sidebar tree. */
import { useState } from 'react';
import type { TreeNode } from '../../../shared/model';
import { formatCount } from '../../format';

interface Props {
  node: TreeNode;
  level: number;
  isSelected: (node: TreeNode) => boolean;
  onSelect: (node: TreeNode) => void;
}

export function DatasetNode({ node, level, isSelected, onSelect }: Props) {
  const [expanded, setExpanded] = useState(true);
  const indent = { paddingLeft: 8 + (level - 1) * 14 };
  if (node.kind === 'schema') {
    return (
      <>
        <div
          role="treeitem"
          aria-level={level}
          aria-expanded={expanded}
          data-testid="tree-schema"
          data-path={node.path.join('.')}
          className="tree-row tree-schema"
          style={indent}
          onClick={() => setExpanded(!expanded)}
        >
          <span className="tree-chevron" aria-hidden>
            {expanded ? '▾' : '▸'}
          </span>
          <span className="tree-label">{node.label}</span>
        </div>
        {expanded && (
          <div role="group">
            {(node.children ?? []).map((child) => (
              <DatasetNode
                key={child.id}
                node={child}
                level={level + 1}
                isSelected={isSelected}
                onSelect={onSelect}
              />
            ))}
          </div>
        )}
      </>
    );
  }
  const selected = isSelected(node);
  return (
    <div
      role="treeitem"
      aria-level={level}
      aria-selected={selected}
      data-testid="tree-item"
      data-path={node.path.join('.')}
      data-kind={node.kind}
      className={selected ? 'tree-row tree-dataset selected' : 'tree-row tree-dataset'}
      style={indent}
      tabIndex={0}
      onClick={() => onSelect(node)}
      onKeyDown={(event) => event.key === 'Enter' && onSelect(node)}
    >
      <span className={`kind-badge kind-${node.kind}`} title={node.kind}>
        {node.kind === 'view' ? 'V' : 'T'}
      </span>
      <span className="tree-label">{node.label}</span>
      {node.rowCount !== undefined && (
        <span className="tree-count" title={node.rowCountExact === false ? 'Estimated' : 'Rows'}>
          {node.rowCountExact === false ? '~' : ''}
          {formatCount(node.rowCount)}
        </span>
      )}
    </div>
  );
}
