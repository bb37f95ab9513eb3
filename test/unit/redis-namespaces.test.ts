/** Grouping sampled key names into `:` namespaces: categories are expanded, ids are not. */
import { describe, expect, it } from 'vitest';
import { groupNamespaces } from '../../electron/backends/redis/namespaces.js';

const summary = (keys: string[]) =>
  groupNamespaces(keys).map((n) => `${n.prefix} ${n.keys.length}${n.hasChildren ? ' +' : ''}`);

describe('groupNamespaces', () => {
  it('groups by the first segment and leaves keys without a separator out', () => {
    expect(summary(['user:1', 'user:2', 'order:1', 'plain'])).toEqual(['order: 1', 'user: 2']);
  });

  it('expands category-like levels but not id-like ones', () => {
    const keys = [
      ...Array.from({ length: 50 }, (_, i) => `user:${i}:profile`),
      'app:cache:a',
      'app:cache:b',
      'app:queue:jobs:1',
      'app:queue:jobs:2',
    ];
    expect(summary(keys)).toEqual([
      'app: 4 +',
      'app:cache: 2',
      'app:queue: 2 +',
      'app:queue:jobs: 2',
      'user: 50',
    ]);
  });

  it('goes at most three levels deep and keeps the largest top-level namespaces', () => {
    expect(summary(['a:b:c:d:e:1', 'a:b:c:d:e:2'])).toEqual(['a: 2 +', 'a:b: 2 +', 'a:b:c: 2']);
    const many = Array.from({ length: 300 }, (_, i) => `ns${i}:${i % 7 === 0 ? 'x:1' : 'y'}`);
    const grouped = groupNamespaces([...many, 'ns1:again'], {
      maxDepth: 3,
      maxFanout: 20,
      maxTopLevel: 5,
    });
    const top = grouped.filter((n) => n.prefix.indexOf(':') === n.prefix.length - 1);
    expect(top).toHaveLength(5);
    expect(top.map((n) => n.prefix)).toContain('ns1:');
  });
});
