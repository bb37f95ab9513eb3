/**
 * The changes a diff grid can see, fetched in blocks from the host (a diff may hold millions; the
 * renderer holds a few blocks). One cache per diff and filter: a new filter starts afresh.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeKind, DiffRow } from '../../../shared/diff';
import type { AppError } from '../../../shared/errors';
import { api, toAppError } from '../../api';

export const diffBlockSize = 200;
/** Blocks kept; those furthest from the viewport go first. */
const keptBlocks = 40;

export interface DiffFilter {
  kinds: ChangeKind[];
  columns: string[];
}

export function useDiffRows(diffId: string, filter: DiffFilter) {
  const blocks = useRef(new Map<number, DiffRow[]>());
  const inFlight = useRef(new Set<number>());
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<AppError>();
  const [, setVersion] = useState(0);
  const request = useMemo(
    () => ({
      diffId,
      ...(filter.kinds.length < 3 ? { kinds: filter.kinds } : {}),
      ...(filter.columns.length > 0 ? { columns: filter.columns } : {}),
    }),
    [diffId, filter],
  );

  useEffect(() => {
    blocks.current = new Map();
    inFlight.current = new Set();
    setTotal(undefined);
    setError(undefined);
    setVersion((n) => n + 1);
  }, [request]);

  const load = useCallback(
    (block: number) => {
      if (blocks.current.has(block) || inFlight.current.has(block)) return;
      inFlight.current.add(block);
      const mine = blocks.current;
      api.getDiffPage({ ...request, offset: block * diffBlockSize, limit: diffBlockSize }).then(
        (page) => {
          if (blocks.current !== mine) return;
          inFlight.current.delete(block);
          mine.set(block, page.rows);
          if (mine.size > keptBlocks) {
            const far = [...mine.keys()].sort((a, b) => Math.abs(b - block) - Math.abs(a - block));
            for (const drop of far.slice(0, mine.size - keptBlocks)) mine.delete(drop);
          }
          setTotal(page.total);
          setVersion((n) => n + 1);
        },
        (failure: unknown) => {
          if (blocks.current !== mine) return;
          inFlight.current.delete(block);
          setError(toAppError(failure));
        },
      );
    },
    [request],
  );

  // The first block tells how many changes pass the filter.
  useEffect(() => load(0), [load]);

  const row = useCallback(
    (index: number): DiffRow | undefined => {
      const block = Math.floor(index / diffBlockSize);
      const rows = blocks.current.get(block);
      if (!rows) {
        load(block);
        return undefined;
      }
      return rows[index - block * diffBlockSize];
    },
    [load],
  );

  return { total, error, row };
}
