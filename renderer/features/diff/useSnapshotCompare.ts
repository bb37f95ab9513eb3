/**
 * Comparing from the history timeline: a snapshot with the one before it, with the live dataset,
 * or any two ticked snapshots (the older is A). Rows are matched by the key the snapshots were
 * taken with, unless they had none.
 */
import { useState } from 'react';
import type { DiffSide } from '../../../shared/diff';
import type { SnapshotInfo } from '../../../shared/versions';
import type { CompareActions } from '../versions/DatasetHistory';
import { formatWhen, shortId } from '../versions/versionsFormat';
import { useDiff, type DiffRequest } from './DiffProvider';

export function snapshotLabel(snapshot: SnapshotInfo): string {
  return `${snapshot.dataset.ref} @ ${shortId(snapshot.id)}`;
}

/** When it was taken and its message, for the side's tooltip. */
function snapshotDetail(snapshot: SnapshotInfo): string {
  const when = `snapshot taken ${formatWhen(snapshot.createdAt)}`;
  return snapshot.message ? `${when}, “${snapshot.message}”` : when;
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
    aDetail: snapshotDetail(older),
    bDetail: snapshotDetail(newer),
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
          aDetail: snapshotDetail(snapshot),
          bDetail: 'the dataset as it is now',
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
