/**
 * Tall tables and the browser's limit on element height. Chromium stops growing an element at about
 * 33.5M px, and scroll precision degrades well before that, so the scrollable space is capped at
 * `maxScrollPx` (15M px). Past that, the row virtualizer works in *virtual* pixels (row index ×
 * row height) and the scrollbar in *real* pixels; `factor` maps one to the other so both ends line
 * up exactly (the last row is reachable). 1,000,000 rows × 26 px = 26M px gets factor ≈ 1.73.
 */
export const maxScrollPx = 15_000_000;

export interface ScrollScale {
  /** The real height of the rows' scroll space. */
  realHeight: number;
  /** Virtual offset = real offset × factor. */
  factor: number;
}

export function computeScrollScale(rowsHeight: number, visibleRowsHeight: number): ScrollScale {
  if (rowsHeight <= maxScrollPx) return { realHeight: rowsHeight, factor: 1 };
  const visible = Math.max(0, Math.min(visibleRowsHeight, maxScrollPx - 1));
  return { realHeight: maxScrollPx, factor: (rowsHeight - visible) / (maxScrollPx - visible) };
}
