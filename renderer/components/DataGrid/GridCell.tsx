/**
 * One cell's content, by what it holds. Everything is rendered as React text nodes: a note that
 * reads `<b>fragile</b>` shows exactly those characters.
 */
import { memo } from 'react';
import type { CellValue, LogicalType } from '../../../shared/model';
import { formatCount } from '../../format';
import { blobLabel, classifyCell } from './cellValue';

// Line breaks would break the fixed row height; show them as a visible mark instead.
const oneLine = (text: string) => text.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, '→');

export const GridCellContent = memo(function GridCellContent({
  value,
  type,
  scale,
}: {
  value: CellValue;
  type: LogicalType;
  scale?: number | undefined;
}) {
  const cell = classifyCell(value, type, scale);
  switch (cell.kind) {
    case 'null':
      return <span className="cell-null">NULL</span>;
    case 'empty':
      return <span className="cell-empty" title='"" (empty string)' />;
    case 'number':
      return <span className="cell-number">{cell.text}</span>;
    case 'boolean':
      return (
        <span className={cell.value ? 'cell-bool cell-true' : 'cell-bool cell-false'}>
          {cell.value ? '✓ true' : '✗ false'}
        </span>
      );
    case 'truncated':
      return (
        <span
          className="cell-truncated"
          title={`${formatCount(cell.length)} characters — double-click to see all`}
        >
          {oneLine(cell.text)}…
        </span>
      );
    case 'blob':
      return (
        <span className="cell-blob" title={`0x${cell.head}…`}>
          {blobLabel(cell.bytes)}
        </span>
      );
    case 'text':
      return (
        <span className={type === 'date' || type === 'timestamp' ? 'cell-date' : undefined}>
          {oneLine(cell.text)}
        </span>
      );
  }
});
