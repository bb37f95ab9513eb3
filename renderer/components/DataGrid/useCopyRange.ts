/**
 * Ctrl/Cmd+C on the grid: the selected range as TSV, built from the page cache and fetching the
 * blocks the range spans that are not cached. Truncated long text is fetched in full (up to a
 * limit) so what lands on the clipboard is the value, not its preview.
 */
import { useCallback } from 'react';
import type { Column, DatasetRef, ViewSpec } from '../../../shared/model';
import { api, toAppError } from '../../api';
import { formatCount } from '../../format';
import { blockSize, type BlockCache } from './blockCache';
import { cellToText, classifyCell } from './cellValue';
import { rangeCellCount, type CellRange } from './selection';
import { toTsv } from './tsv';

const maxCopyCells = 500_000;
const maxFullTextFetches = 50;

export function useCopyRange(
  ref: DatasetRef,
  view: ViewSpec,
  columns: readonly Column[],
  cache: BlockCache,
  notify: (message: string) => void,
) {
  return useCallback(
    async (range: CellRange) => {
      const cells = rangeCellCount(range);
      if (cells > maxCopyCells) {
        notify(
          `Too many cells to copy (${formatCount(cells)}); the limit is ${formatCount(maxCopyCells)}.`,
        );
        return;
      }
      const controller = new AbortController();
      try {
        const lines: string[][] = [];
        let fullTextFetches = 0;
        let shortened = 0;
        for (let row = range.top; row <= range.bottom; row++) {
          const block = await cache.ensure(Math.floor(row / blockSize), controller.signal);
          const values = block[row % blockSize] ?? [];
          const line: string[] = [];
          for (let col = range.left; col <= range.right; col++) {
            const column = columns[col];
            if (!column) continue;
            const cell = classifyCell(values[col] ?? null, column.type);
            if (cell.kind === 'truncated' && fullTextFetches < maxFullTextFetches) {
              fullTextFetches++;
              const detail = await api.getCell({ ref, view, row, column: column.name });
              line.push(detail.text ?? '');
              if (detail.truncated) shortened++;
            } else {
              if (cell.kind === 'truncated') shortened++;
              line.push(cellToText(cell));
            }
          }
          lines.push(line);
        }
        await navigator.clipboard.writeText(toTsv(lines));
        const noun = cells === 1 ? 'cell' : 'cells';
        notify(
          shortened > 0
            ? `Copied ${formatCount(cells)} ${noun} (${formatCount(shortened)} long values shortened)`
            : `Copied ${formatCount(cells)} ${noun}`,
        );
      } catch (error) {
        notify(`Copy failed: ${toAppError(error).message}`);
      }
    },
    [ref, view, columns, cache, notify],
  );
}
