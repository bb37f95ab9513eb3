/**
 * Groups a sample of key names into the `:`-separated namespaces people give them
 * (`user:1:profile` is in `user:`). Deeper levels are shown only where they look like
 * categories rather than ids: `strata:orders:` and `strata:users:` under `strata:` are kept
 * (few distinct segments), but `user:1:`, `user:2:`, … are not (too many).
 */

export interface Namespace {
  /** The prefix including its trailing separator, e.g. `user:`. */
  prefix: string;
  /** Sampled keys under it. */
  keys: string[];
  /** Whether deeper namespaces under it are listed too (so it is not a leaf). */
  hasChildren: boolean;
}

export interface GroupingLimits {
  /** How many `:` levels deep namespaces go. */
  maxDepth: number;
  /** A level with more distinct segments than this holds ids, not categories. */
  maxFanout: number;
  /** At most this many top-level namespaces, the largest kept. */
  maxTopLevel: number;
}

export const defaultLimits: GroupingLimits = { maxDepth: 3, maxFanout: 20, maxTopLevel: 200 };

export function groupNamespaces(
  keys: readonly string[],
  limits: GroupingLimits = defaultLimits,
  separator = ':',
): Namespace[] {
  const out: Namespace[] = [];
  const visit = (prefix: string, members: readonly string[], depth: number, top: boolean) => {
    const children = bySegment(prefix, members, separator);
    const largest = [...children].sort((a, b) => b[1].length - a[1].length);
    const shown = top
      ? largest.slice(0, limits.maxTopLevel)
      : depth <= limits.maxDepth && children.size <= limits.maxFanout
        ? largest
        : [];
    for (const [childPrefix, childKeys] of shown) {
      const node: Namespace = { prefix: childPrefix, keys: childKeys, hasChildren: false };
      out.push(node);
      const before = out.length;
      visit(childPrefix, childKeys, depth + 1, false);
      node.hasChildren = out.length > before;
    }
  };
  visit('', keys, 1, true);
  return out.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
}

/** Keys under `prefix` that have a further separator, grouped by their next segment. */
function bySegment(
  prefix: string,
  keys: readonly string[],
  separator: string,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const end = key.indexOf(separator, prefix.length);
    if (end < 0) continue;
    const child = key.slice(0, end + separator.length);
    let list = groups.get(child);
    if (!list) groups.set(child, (list = []));
    list.push(key);
  }
  return groups;
}
