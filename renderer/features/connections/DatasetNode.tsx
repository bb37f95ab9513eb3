/**
 * A schema (database, bucket, folder: expandable) or a dataset (selectable, with its row count)
 * in the sidebar tree. Children are rendered only while their parent is open, and a long list
 * shows its first rows with "Show more", so a store with thousands of tables stays quick.
 */
import { memo, useState } from 'react';
import type { TreeNode } from '../../../shared/model';
import { formatCount } from '../../format';
import { KindBadge, RowCount } from '../../components/TreeGlyphs';
import { useTreeDiff, useTreeDropDiff } from '../diff/useTreeDiff';
import { useTreeUpload } from '../upload/useTreeUpload';
import { useTreeVersions } from '../versions/useTreeVersions';

/** How many children a node shows before "Show more". */
export const childPage = 300;

interface Props {
  node: TreeNode;
  level: number;
  /** Whether a schema starts open (the tree opens small trees fully, large ones collapsed). */
  open: boolean;
  selectedPath: string | undefined;
  onSelect: (node: TreeNode) => void;
}

export const pathKey = (path: readonly string[]) => path.join('\u0000');

export const DatasetNode = memo(function DatasetNode(props: Props) {
  const { node, level, open, selectedPath, onSelect } = props;
  const [expanded, setExpanded] = useState(open);
  // Drop a CSV on a table (append) or a folder (create there); right-click for "Upload CSV…".
  const versionItems = useTreeVersions(node);
  const diffItems = useTreeDiff(node);
  const upload = useTreeUpload(
    node,
    versionItems && ((close) => [versionItems(close), diffItems?.(close)]),
    useTreeDropDiff(node),
  );
  const indent = { paddingLeft: 8 + (level - 1) * 14 };
  if (node.kind === 'schema') {
    const children = node.children ?? [];
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
          tabIndex={0}
          onClick={() => setExpanded(!expanded)}
          onKeyDown={(event) => event.key === 'Enter' && setExpanded(!expanded)}
          {...upload.rowProps}
        >
          <span className="tree-chevron" aria-hidden>
            {expanded ? '▾' : '▸'}
          </span>
          <KindBadge kind="schema" />
          <span className="tree-label" title={node.label}>
            {node.label}
          </span>
          {node.rowCount !== undefined && (
            <RowCount count={node.rowCount} exact={node.rowCountExact} />
          )}
        </div>
        {upload.menu}
        {expanded && (
          <NodeList
            nodes={children}
            level={level + 1}
            selectedPath={selectedPath}
            onSelect={onSelect}
          />
        )}
      </>
    );
  }
  const selected = selectedPath === pathKey(node.path);
  return (
    <>
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
        {...upload.rowProps}
      >
        <KindBadge kind={node.kind} />
        <span className="tree-label" title={node.label}>
          {node.label}
        </span>
        {node.rowCount !== undefined && (
          <RowCount count={node.rowCount} exact={node.rowCountExact} />
        )}
      </div>
      {upload.menu}
    </>
  );
});

/** Nodes at one level: schemas start open when there are few of them; long lists page. */
export function NodeList(props: {
  nodes: readonly TreeNode[];
  level: number;
  selectedPath: string | undefined;
  onSelect: (node: TreeNode) => void;
}) {
  const { nodes, level, selectedPath, onSelect } = props;
  const [shown, setShown] = useState(childPage);
  const schemas = nodes.filter((n) => n.kind === 'schema').length;
  const openSchemas = schemas <= 3;
  return (
    <div role="group">
      {nodes.slice(0, shown).map((child) => (
        <DatasetNode
          key={child.id}
          node={child}
          level={level}
          open={openSchemas}
          selectedPath={selectedPath}
          onSelect={onSelect}
        />
      ))}
      {nodes.length > shown && (
        <button
          type="button"
          className="link-button tree-more"
          style={{ marginLeft: 8 + (level - 1) * 14 }}
          onClick={() => setShown(shown + childPage)}
        >
          Show {formatCount(Math.min(childPage, nodes.length - shown))} more of{' '}
          {formatCount(nodes.length - shown)}
        </button>
      )}
    </div>
  );
}
