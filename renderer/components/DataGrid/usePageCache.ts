/** One `BlockCache` per dataset view, re-rendering the grid whenever a block arrives. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { DatasetRef, ViewSpec } from '../../../shared/model';
import { api } from '../../api';
import { BlockCache } from './blockCache';

export function usePageCache(ref: DatasetRef, view: ViewSpec): BlockCache {
  const cache = useMemo(
    () =>
      new BlockCache((offset, limit, signal) =>
        api.getPage({ ref, offset, limit, view }, { signal }).then((page) => page.rows),
      ),
    [ref, view],
  );
  useEffect(() => () => cache.abortAll(), [cache]);
  useSyncExternalStore(cache.subscribe, cache.getVersion);
  return cache;
}
