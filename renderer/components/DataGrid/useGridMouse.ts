/**
 * The mouse on the grid: press and drag select a range (Shift extends it), double-click opens
 * the value viewer, and, on datasets with row actions, a right-click on a row (or a double-click
 * on its number) asks for them.
 */
import { useRef, type Dispatch, type MouseEvent, type SetStateAction } from 'react';
import type { CellPoint, Selection } from './selection';

interface Options {
  setSelection: Dispatch<SetStateAction<Selection | undefined>>;
  openViewer: (row: number, col: number) => void;
  /** Row actions exist: a right-click on a row opens their menu at the pointer. */
  onRowMenu?: ((row: number, x: number, y: number) => void) | undefined;
  /** The main row action, run by a double-click on the row's number. */
  onRowAction?: ((row: number) => void) | undefined;
}

function cellAt(target: EventTarget): CellPoint | undefined {
  if (!(target instanceof Element)) return undefined;
  const cell = target.closest<HTMLElement>('[data-col-index]');
  const row = cell?.closest<HTMLElement>('[data-row-index]');
  if (!cell || !row) return undefined;
  return { row: Number(row.dataset.rowIndex), col: Number(cell.dataset.colIndex) };
}

function rowAt(target: EventTarget): { row: number; inGutter: boolean } | undefined {
  if (!(target instanceof Element)) return undefined;
  const row = target.closest<HTMLElement>('[data-row-index]');
  if (!row) return undefined;
  return { row: Number(row.dataset.rowIndex), inGutter: !!target.closest('[role="rowheader"]') };
}

export function useGridMouse({ setSelection, openViewer, onRowMenu, onRowAction }: Options) {
  const dragging = useRef(false);
  return {
    onMouseDown: (event: MouseEvent) => {
      const point = event.button === 0 ? cellAt(event.target) : undefined;
      if (!point) return;
      dragging.current = true;
      setSelection((current) =>
        event.shiftKey && current
          ? { anchor: current.anchor, focus: point }
          : { anchor: point, focus: point },
      );
    },
    onMouseMove: (event: MouseEvent) => {
      if (!dragging.current || (event.buttons & 1) === 0) return;
      const point = cellAt(event.target);
      if (point) setSelection((current) => current && { anchor: current.anchor, focus: point });
    },
    onMouseUp: () => {
      dragging.current = false;
    },
    onDoubleClick: (event: MouseEvent) => {
      const point = cellAt(event.target);
      if (point) return openViewer(point.row, point.col);
      const row = rowAt(event.target);
      if (row?.inGutter && onRowAction) onRowAction(row.row);
    },
    onContextMenu: (event: MouseEvent) => {
      const row = onRowMenu && rowAt(event.target);
      if (!row || !onRowMenu) return;
      event.preventDefault();
      onRowMenu(row.row, event.clientX, event.clientY);
    },
  };
}
