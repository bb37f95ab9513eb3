/**
 * Lets any part of the window start a diff (the history timeline, a tree node's menu, a CSV
 * dropped on a dataset) and remembers the side a person chose with "Select for compare" in the
 * tree, so another node, in any store, can be compared with it.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { DiffSide } from '../../../shared/diff';

export interface DiffRequest {
  /** The old side: the changes say how to turn A into B. */
  a: DiffSide;
  b: DiffSide;
  aLabel: string;
  bLabel: string;
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
}

const DiffContext = createContext<DiffActions | undefined>(undefined);

export function DiffProvider(props: {
  children: ReactNode;
  onCompare: (request: DiffRequest) => void;
}) {
  const { children, onCompare } = props;
  const [selected, setSelected] = useState<LabelledSide>();
  const actions = useMemo<DiffActions>(
    () => ({ compare: onCompare, selected, select: setSelected }),
    [onCompare, selected],
  );
  return <DiffContext.Provider value={actions}>{children}</DiffContext.Provider>;
}

/** The diff actions; undefined outside a DiffProvider (comparing is then not offered). */
export function useDiff(): DiffActions | undefined {
  return useContext(DiffContext);
}
