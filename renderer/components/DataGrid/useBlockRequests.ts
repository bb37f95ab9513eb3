/**
 * Decides which blocks the grid needs: those under the painted rows, plus one overscan block in
 * the direction of scrolling. Reports whether any block under the *viewport* is still loading.
 */
import { useEffect, useRef } from 'react';
import { blockSize, type BlockCache } from './blockCache';

export function useBlockRequests(
  cache: BlockCache,
  rowCount: number,
  paintedFirst: number,
  paintedLast: number,
  visibleFirst: number,
  visibleLast: number,
): boolean {
  const previousFirst = useRef(paintedFirst);
  const lastBlock = Math.max(0, Math.ceil(rowCount / blockSize) - 1);

  useEffect(() => {
    if (rowCount === 0) return;
    const backwards = paintedFirst < previousFirst.current;
    previousFirst.current = paintedFirst;
    const first = Math.floor(paintedFirst / blockSize);
    const last = Math.floor(paintedLast / blockSize);
    const wanted: number[] = [];
    for (let block = first; block <= last; block++) wanted.push(block);
    const overscan = backwards ? first - 1 : last + 1;
    if (overscan >= 0 && overscan <= lastBlock) wanted.push(overscan);
    cache.want(wanted);
  }, [cache, rowCount, paintedFirst, paintedLast, lastBlock]);

  if (rowCount === 0) return false;
  for (
    let block = Math.floor(visibleFirst / blockSize);
    block <= Math.floor(visibleLast / blockSize);
    block++
  ) {
    if (!cache.hasBlock(block) && !cache.error(block)) return true;
  }
  return false;
}
