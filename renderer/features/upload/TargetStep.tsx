/**
 * Step 3, Target: which connection, where in it (schema / folder, then a name; the defaults come
 * from the file's name or the node the file was dropped on), create / append / replace, and
 * partition columns. What a store cannot do is shown disabled with the reason, read from its
 * capabilities and read-only flag — never from which engine it is.
 */
import { useCallback, useEffect, useMemo } from 'react';
import { formatRef } from '../../../shared/dataset-ref';
import type { TreeNode } from '../../../shared/model';
import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { engineLabels } from '../../components/TreeGlyphs';
import { useAsync } from '../../hooks/useAsync';
import { AppendFit } from './AppendFit';
import { partitionBlocker, writeBlocker } from './targetRules';
import type { WriteMode } from './uploadModel';
import type { UploadWizardState } from './useUploadWizard';

const modes: ReadonlyArray<{ mode: WriteMode; label: string; detail: string }> = [
  { mode: 'create', label: 'Create', detail: 'A new dataset; refused if the name is taken.' },
  {
    mode: 'append',
    label: 'Append',
    detail: 'Add the rows to an existing dataset, checked against its columns first.',
  },
  {
    mode: 'replace',
    label: 'Replace',
    detail: 'Swap in the file’s rows at the end, in one step; readers never see half of it.',
  },
];

function flatten(
  nodes: readonly TreeNode[],
  into = { folders: [] as TreeNode[], datasets: [] as TreeNode[] },
) {
  for (const node of nodes) {
    if (node.kind === 'schema') {
      into.folders.push(node);
      flatten(node.children ?? [], into);
    } else into.datasets.push(node);
  }
  return into;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((part, i) => part === b[i]);

export function TargetStep({ wizard }: { wizard: UploadWizardState }) {
  const { target, setTarget, resolveTarget, columns, connections } = wizard;
  const connection = connections?.find((c) => c.id === target.connectionId);
  const connectionId = connection && !writeBlocker(connection) ? connection.id : undefined;

  useEffect(() => {
    if (!connections || target.connectionId) return;
    const first = connections.find((c) => !writeBlocker(c));
    if (first) resolveTarget({ connectionId: first.id });
  }, [connections, target.connectionId, resolveTarget]);

  const loadTree = useCallback(
    (signal: AbortSignal) => api.getTree({ connectionId: connectionId ?? '' }, { signal }),
    [connectionId],
  );
  const tree = useAsync(connectionId ? loadTree : undefined);
  // Until this connection's own tree has arrived, a previous one (or none) says nothing.
  const known = connectionId !== undefined && !tree.loading && tree.value !== undefined;
  const settled = known || (connectionId !== undefined && tree.error !== undefined);
  const { folders, datasets } = useMemo(() => flatten(tree.value ?? []), [tree.value]);
  useEffect(() => {
    if (target.container !== undefined || !settled) return;
    resolveTarget({ container: folders[0]?.path ?? [] });
  }, [target.container, settled, folders, resolveTarget]);

  const container = target.container ?? [];
  const here = datasets.filter((d) => same(d.path.slice(0, -1), container));
  const fullPath = [...container, target.name.trim()];
  const exists = datasets.some((d) => same(d.path, fullPath));
  const folderKeys = folders.map((f) => f.path.join('\u0000'));
  const containerKey = container.join('\u0000');
  const kept = columns.filter((c) => !c.skip);
  const partitionReason = connection ? partitionBlocker(connection) : 'Choose a connection';

  return (
    <div className="upload-target-step">
      <div className="upload-target-grid">
        <label className="field">
          <span>Connection</span>
          <select
            data-testid="upload-connection"
            value={target.connectionId}
            onChange={(event) =>
              setTarget({ ...target, connectionId: event.target.value, container: undefined })
            }
          >
            {!target.connectionId && <option value="">Choose…</option>}
            {connections?.map((c) => {
              const blocked = writeBlocker(c);
              return (
                <option key={c.id} value={c.id} disabled={blocked !== undefined}>
                  {c.name} · {engineLabels[c.kind].label}
                  {blocked ? ` — ${blocked}` : ''}
                </option>
              );
            })}
          </select>
        </label>
        {folders.length > 0 && (
          <label className="field">
            <span>Schema / folder</span>
            <select
              data-testid="upload-target-schema"
              value={containerKey}
              onChange={(event) =>
                setTarget({ ...target, container: event.target.value.split('\u0000') })
              }
            >
              {!folderKeys.includes(containerKey) && (
                <option value={containerKey}>{container.join('.') || '(top level)'}</option>
              )}
              {folders.map((f) => (
                <option key={f.id} value={f.path.join('\u0000')}>
                  {f.path.join('.')}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>Name</span>
          <input
            data-testid="upload-target-name"
            className="mono"
            list="upload-existing-datasets"
            value={target.name}
            spellCheck={false}
            onChange={(event) => setTarget({ ...target, name: event.target.value })}
          />
          <datalist id="upload-existing-datasets">
            {here.map((d) => (
              <option key={d.id} value={d.path[d.path.length - 1]} />
            ))}
          </datalist>
        </label>
      </div>
      {tree.error && <ErrorPanel error={tree.error} title="Could not list this connection" />}
      {connection && target.name.trim() && (
        <p className="upload-ref" data-testid="upload-target-ref">
          <span className="muted">Target </span>
          <span className="mono strong">{formatRef(connection.name, fullPath)}</span>
          {known && <span className="muted"> · {exists ? 'exists' : 'does not exist yet'}</span>}
        </p>
      )}
      <fieldset className="upload-choice" data-testid="upload-mode">
        <legend>Mode</legend>
        {modes.map(({ mode, label, detail }) => (
          <label key={mode} className={target.mode === mode ? 'choice selected' : 'choice'}>
            <input
              type="radio"
              name="upload-mode"
              value={mode}
              checked={target.mode === mode}
              onChange={() => setTarget({ ...target, mode })}
            />
            <span className="choice-label">{label}</span>
            <span className="muted small">{detail}</span>
          </label>
        ))}
      </fieldset>
      {known && target.name.trim() && target.mode === 'create' && exists && (
        <p className="upload-warning" role="status">
          “{fullPath.join('.')}” exists. Append to it, replace it, or choose another name.
        </p>
      )}
      {known && target.name.trim() && target.mode !== 'create' && !exists && (
        <p className="upload-warning" role="status">
          There is no “{fullPath.join('.')}” here to{' '}
          {target.mode === 'append' ? 'append to' : 'replace'}.
        </p>
      )}
      {known && exists && connectionId && target.mode !== 'create' && (
        <AppendFit
          target={{ connectionId, path: fullPath }}
          columns={columns}
          onColumns={wizard.setColumns}
        />
      )}
      <label className="field">
        <span>Partition by</span>
        <select
          multiple
          data-testid="upload-partition"
          className="upload-partition"
          disabled={partitionReason !== undefined}
          size={Math.min(5, Math.max(2, kept.length))}
          value={target.partitionBy.map(String)}
          onChange={(event) =>
            setTarget({
              ...target,
              partitionBy: [...event.target.selectedOptions].map((o) => Number(o.value)),
            })
          }
        >
          {kept.map((c) => (
            <option key={c.index} value={c.index}>
              {c.name} ({c.type})
            </option>
          ))}
        </select>
        {partitionReason ? (
          <span className="disabled-reason" data-testid="upload-partition-reason">
            {partitionReason}
          </span>
        ) : (
          <span className="muted small">
            Optional. One partition per value of these columns, nested in the order listed.
          </span>
        )}
      </label>
    </div>
  );
}
