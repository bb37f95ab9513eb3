/**
 * The two virtualizers behind the grid: rows (vertical, fixed height, scaled past 15M px — see
 * scrollScale.ts) and columns (horizontal, sized by react-table's column sizing). Both read the
 * same scroll element. Row scrolling is done here (`scrollToRow`), in real pixels, rather than by
 * the virtualizer, because its scroll commands work in unscaled pixels.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { computeScrollScale } from './scrollScale';

export const rowHeight = 26;
/** Two lines: the column's name and sort, then its type. */
export const headerHeight = 40;
export const gutterWidth = 64;

interface Options {
  scrollRef: RefObject<HTMLDivElement | null>;
  rowCount: number;
  columnCount: number;
  columnWidth: (index: number) => number;
  /** Changes whenever any column's width changes, so the column virtualizer re-measures. */
  columnSizingKey: string;
}

export function useGridVirtualizers(options: Options) {
  const { scrollRef, rowCount, columnCount, columnWidth, columnSizingKey } = options;
  const [viewportHeight, setViewportHeight] = useState(0);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    setViewportHeight(element.clientHeight);
    return () => observer.disconnect();
  }, [scrollRef]);

  const visibleRowsHeight = Math.max(0, viewportHeight - headerHeight);
  const scale = computeScrollScale(rowCount * rowHeight, visibleRowsHeight);
  const factorRef = useRef(scale.factor);
  // After "go to row", the exact virtual offset that was asked for, and the real scrollTop it was
  // written as: reading the scrollTop back (rounded by the browser) must not shift row N by a pixel.
  const pinRef = useRef<{ real: number; virtual: number } | null>(null);
  useLayoutEffect(() => {
    factorRef.current = scale.factor;
  }, [scale.factor]);

  // The last real scrollTop reported and the virtual offset it became: rows are placed relative to
  // the real one, so a rounded scrollTop never shifts them off the row grid.
  const observedRef = useRef({ real: 0, virtual: 0 });
  const toVirtual = useCallback((real: number) => {
    const pin = pinRef.current;
    let virtual: number;
    if (pin && Math.abs(pin.real - real) < 1) virtual = pin.virtual;
    else {
      pinRef.current = null;
      virtual = real * factorRef.current;
    }
    observedRef.current = { real, virtual };
    return virtual;
  }, []);

  const rows = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
    // Our own offset observer, reporting virtual pixels; `isScrolling` stays false so the
    // virtualizer never compares our virtual offset with the element's real scroll range.
    observeElementOffset: (instance, report) => {
      const element = instance.scrollElement;
      if (!element) return;
      const onScroll = () => report(toVirtual(element.scrollTop), false);
      onScroll();
      element.addEventListener('scroll', onScroll, { passive: true });
      return () => element.removeEventListener('scroll', onScroll);
    },
  });

  const columns = useVirtualizer({
    horizontal: true,
    count: columnCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: columnWidth,
    overscan: 3,
    // Revealing a column must not leave it under the sticky row-number gutter.
    scrollPaddingStart: gutterWidth,
  });
  useEffect(() => {
    columns.measure();
  }, [columns, columnSizingKey]);

  const virtualOffset = rows.scrollOffset ?? 0;
  const observed = observedRef.current;
  const realOffset =
    observed.virtual === virtualOffset ? observed.real : virtualOffset / scale.factor;
  /** Where a row's top sits in the (real) scroll content, below the sticky header. */
  const rowTop = (virtualStart: number) =>
    headerHeight + realOffset + (virtualStart - virtualOffset);

  /** Scroll so that 0-based `row` is the first row under the header. */
  const scrollToRow = useCallback(
    (row: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const maxVirtual = Math.max(0, rowCount * rowHeight - visibleRowsHeight);
      const virtual = Math.min(row * rowHeight, maxVirtual);
      const real = virtual / factorRef.current;
      element.scrollTop = real;
      pinRef.current = { real: element.scrollTop, virtual };
      element.dispatchEvent(new Event('scroll'));
    },
    [scrollRef, rowCount, visibleRowsHeight],
  );

  const firstVisible = Math.min(Math.max(0, rowCount - 1), Math.round(virtualOffset / rowHeight));
  const lastVisible = Math.min(
    rowCount - 1,
    Math.floor((virtualOffset + visibleRowsHeight - 1) / rowHeight),
  );

  return {
    rows,
    columns,
    realHeight: scale.realHeight,
    rowTop,
    scrollToRow,
    firstVisible,
    lastVisible,
    visibleRowCount: Math.max(1, Math.floor(visibleRowsHeight / rowHeight)),
  };
}
