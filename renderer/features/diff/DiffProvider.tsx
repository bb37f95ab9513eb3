/**
 * Lets any part of the window start a diff (the history timeline, a tree node's menu, a CSV
 * dropped on a dataset) and remembers the side a person chose with "Select for compare" in the
 * tree, so another node, in any store, can be compared with it.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { DiffSide } from '../../../shared/diff';
import { pathForDroppedFile } from '../../api';
import { PathDialog } from '../versions/PathDialog';

export interface DiffRequest {
  /** The old side: the changes say how to turn A into B. */
  a: DiffSide;
  b: DiffSide;
  aLabel: string;
  bLabel: string;
  /** More about a side on hover (a snapshot's time and message). */
  aDetail?: string | undefined;
  bDetail?: string | undefined;
  key?: string[] | undefined;
}

export interface LabelledSide {
  side: DiffSide;
  label: string;
}

export interface DiffActions {
  compare: (request: DiffRequest) => void;
  /** The side chosen with "Select for compare", if any. */
  selected: LabelledSide | undefined;
  select: (side: LabelledSide | undefined) => void;
  /**
   * "What would this file change?": the dataset now (A) against a CSV file (B). A browser does
   * not reveal a dropped file's path, so there it is asked for.
   */
  compareFile: (dataset: LabelledSide, file: File) => void;
}

const DiffContext = createContext<DiffActions | undefined>(undefined);

export function DiffProvider(props: {
  children: ReactNode;
  onCompare: (request: DiffRequest) => void;
}) {
  const { children, onCompare } = props;
  const [selected, setSelected] = useState<LabelledSide>();
  const [asking, setAsking] = useState<{ dataset: LabelledSide; name: string }>();
  const withFile = useCallback(
    (dataset: LabelledSide, file: string) =>
      onCompare({ a: dataset.side, b: { kind: 'csv', file }, aLabel: dataset.label, bLabel: file }),
    [onCompare],
  );
  const actions = useMemo<DiffActions>(() => {
    return {
      compare: onCompare,
      selected,
      select: setSelected,
      compareFile: (dataset, file) => {
        const path = pathForDroppedFile(file);
        if (path) withFile(dataset, path);
        else setAsking({ dataset, name: file.name });
      },
    };
  }, [onCompare, withFile, selected]);
  return (
    <DiffContext.Provider value={actions}>
      {children}
      {asking && (
        <PathDialog
          title={`What would “${asking.name}” change in ${asking.dataset.label}?`}
          label={`Full path of ${asking.name} (the browser does not reveal where it is stored)`}
          initialPath={asking.name}
          confirmLabel="Compare"
          testId="diff-file-dialog"
          pick={{
            mode: 'open',
            title: 'Compare with a CSV file',
            extensions: ['csv', 'tsv', 'txt'],
          }}
          onClose={() => setAsking(undefined)}
          onSubmit={async (file) => {
            setAsking(undefined);
            withFile(asking.dataset, file);
            return null;
          }}
        />
      )}
    </DiffContext.Provider>
  );
}

/** The diff actions; undefined outside a DiffProvider (comparing is then not offered). */
export function useDiff(): DiffActions | undefined {
  return useContext(DiffContext);
}
