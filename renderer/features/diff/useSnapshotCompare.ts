/**
 * Comparing from the history timeline: a snapshot with the one before it, with the live dataset,
 * or any two ticked snapshots (the older is A). Rows are matched by the key the snapshots were
 * taken with, unless they had none.
 */
import { useState } from 'react';
import type { DiffSide } from '../../../shared/diff';
import type { SnapshotInfo } from '../../../shared/versions';
import type { CompareActions } from '../versions/DatasetHistory';
import { shortId } from '../versions/versionsFormat';
import { useDiff, type DiffRequest } from './DiffProvider';

export function snapshotLabel(snapshot: SnapshotInfo): string {
  return `${snapshot.dataset.ref} @ ${shortId(snapshot.id)}`;
}

const snapshotSide = (snapshot: SnapshotInfo): DiffSide => ({
  kind: 'snapshot',
  snapshotId: snapshot.id,
});

function keyOf(snapshot: SnapshotInfo): string[] | undefined {
  return snapshot.keyNote ? undefined : snapshot.key;
}

export function useSnapshotCompare(): {
  actions: CompareActions | undefined;
  /** The two ticked snapshots as a request, once two are ticked. */
  pickedRequest: (all: SnapshotInfo[]) => DiffRequest | undefined;
} {
  const diff = useDiff();
  const [picked, setPicked] = useState<string[]>([]);
  if (!diff) return { actions: undefined, pickedRequest: () => undefined };
  const between = (older: SnapshotInfo, newer: SnapshotInfo): DiffRequest => ({
    a: snapshotSide(older),
    b: snapshotSide(newer),
    aLabel: snapshotLabel(older),
    bLabel: snapshotLabel(newer),
    key: keyOf(newer),
  });
  return {
    actions: {
      withPrevious: (snapshot, previous) => diff.compare(between(previous, snapshot)),
      withLive: (snapshot) =>
        diff.compare({
          a: snapshotSide(snapshot),
          b: {
            kind: 'dataset',
            ref: { connectionId: snapshot.dataset.connectionId, path: snapshot.dataset.path },
          },
          aLabel: snapshotLabel(snapshot),
          bLabel: `${snapshot.dataset.ref} (live)`,
          key: keyOf(snapshot),
        }),
      picked,
      // Ticking a third drops the oldest tick: two are compared.
      togglePick: (snapshot) =>
        setPicked((current) =>
          current.includes(snapshot.id)
            ? current.filter((id) => id !== snapshot.id)
            : [...current, snapshot.id].slice(-2),
        ),
    },
    pickedRequest: (all) => {
      if (picked.length !== 2) return undefined;
      const chosen = all
        .filter((s) => picked.includes(s.id))
        .sort((x, y) => x.createdAt.localeCompare(y.createdAt));
      const [older, newer] = chosen;
      return older && newer ? between(older, newer) : undefined;
    },
  };
}
