/** A rectangular cell range, as anchor (where the click started) and focus (where it ends). */
export interface CellPoint {
  row: number;
  col: number;
}
export interface Selection {
  anchor: CellPoint;
  focus: CellPoint;
}
export interface CellRange {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export function selectionRange(selection: Selection): CellRange {
  const { anchor, focus } = selection;
  return {
    top: Math.min(anchor.row, focus.row),
    bottom: Math.max(anchor.row, focus.row),
    left: Math.min(anchor.col, focus.col),
    right: Math.max(anchor.col, focus.col),
  };
}

export function inRange(range: CellRange | undefined, row: number, col: number): boolean {
  return (
    range !== undefined &&
    row >= range.top &&
    row <= range.bottom &&
    col >= range.left &&
    col <= range.right
  );
}

export function rangeCellCount(range: CellRange): number {
  return (range.bottom - range.top + 1) * (range.right - range.left + 1);
}
