/**
 * The sidebar's width, and the handle on its right edge that changes it: drag, arrow keys when
 * focused, double-click for the default. Remembered in this window's localStorage.
 */
import { useCallback, useState, type KeyboardEvent, type MouseEvent } from 'react';

const storageKey = 'strata.sidebarWidth';
export const defaultSidebarWidth = 260;
const minWidth = 200;
const maxWidth = 560;

const clamp = (width: number) => Math.round(Math.min(maxWidth, Math.max(minWidth, width)));

function saved(): number {
  try {
    const value = Number(localStorage.getItem(storageKey));
    return Number.isFinite(value) && value > 0 ? clamp(value) : defaultSidebarWidth;
  } catch {
    return defaultSidebarWidth;
  }
}

export function useSidebarWidth(): [number, (width: number) => void] {
  const [width, setWidth] = useState(saved);
  const set = useCallback((next: number) => {
    const clamped = clamp(next);
    setWidth(clamped);
    try {
      localStorage.setItem(storageKey, String(clamped));
    } catch {
      // Storage may be unavailable (a private window): the width lasts for this session only.
    }
  }, []);
  return [width, set];
}

export function SidebarResizer({
  width,
  onResize,
}: {
  width: number;
  onResize: (w: number) => void;
}) {
  const startDrag = (event: MouseEvent) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const startX = event.clientX;
    const move = (e: globalThis.MouseEvent) => onResize(width + e.clientX - startX);
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      document.body.classList.remove('resizing-sidebar');
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    document.body.classList.add('resizing-sidebar');
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 40 : 10;
    if (event.key === 'ArrowLeft') onResize(width - step);
    else if (event.key === 'ArrowRight') onResize(width + step);
    else return;
    event.preventDefault();
  };
  return (
    <div
      className="sidebar-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the sidebar"
      aria-valuenow={width}
      aria-valuemin={minWidth}
      aria-valuemax={maxWidth}
      data-testid="sidebar-resizer"
      tabIndex={0}
      title="Drag to resize; double-click for the default width"
      onMouseDown={startDrag}
      onKeyDown={onKeyDown}
      onDoubleClick={() => onResize(defaultSidebarWidth)}
    />
  );
}
