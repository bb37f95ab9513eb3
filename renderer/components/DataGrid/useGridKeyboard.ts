/**
 * Keyboard on the focused grid: arrows move the active cell (Shift extends the range), Page
 * Up/Down move by a screen, Enter opens the value viewer, Ctrl/Cmd+C copies, Escape clears.
 */
import type { KeyboardEvent } from 'react';
import type { Selection } from './selection';

interface Options {
  selection: Selection | undefined;
  rowCount: number;
  columnCount: number;
  pageRows: number;
  select: (selection: Selection | undefined) => void;
  reveal: (row: number, col: number) => void;
  openViewer: (row: number, col: number) => void;
  copy: () => void;
}

export function gridKeyHandler(options: Options) {
  return (event: KeyboardEvent) => {
    const { selection, rowCount, columnCount, pageRows, select, reveal } = options;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'c') {
      event.preventDefault();
      options.copy();
      return;
    }
    if (!selection) return;
    const focus = selection.focus;
    if (event.key === 'Enter') {
      event.preventDefault();
      options.openViewer(focus.row, focus.col);
      return;
    }
    if (event.key === 'Escape') return select(undefined);
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageUp: [-pageRows, 0],
      PageDown: [pageRows, 0],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const row = Math.min(rowCount - 1, Math.max(0, focus.row + move[0]));
    const col = Math.min(columnCount - 1, Math.max(0, focus.col + move[1]));
    const next = { row, col };
    select(
      event.shiftKey ? { anchor: selection.anchor, focus: next } : { anchor: next, focus: next },
    );
    reveal(row, col);
  };
}
