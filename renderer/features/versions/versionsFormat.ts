/** How the versions screens name snapshots and their times. */
import type { SnapshotInfo } from '../../../shared/versions';

/** Snapshot ids are long hashes; eight characters tell them apart in one store. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatWhen(iso: string): string {
  return dateTime.format(new Date(iso));
}

/** "just now", "5 min ago", "3 h ago", "2 days ago": how long ago, next to the exact time. */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  const days = Math.round(seconds / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** The dataset a snapshot was taken of, as one string key for grouping. */
export function datasetKey(snapshot: Pick<SnapshotInfo, 'dataset'>): string {
  return `${snapshot.dataset.connectionId}\u0000${snapshot.dataset.path.join('\u0000')}`;
}
