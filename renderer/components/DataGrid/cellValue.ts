/**
 * What a cell holds, decided once: the grid's renderer and the TSV copy both read a cell through
 * `classifyCell`, so NULL, empty text, truncated text, blobs and big integers are told apart the
 * same way everywhere.
 */
import type { CellValue, LogicalType } from '../../../shared/model';
import { formatBytes } from '../../format';

export type CellKind =
  | { kind: 'null' }
  | { kind: 'empty' }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'truncated'; text: string; length: number }
  | { kind: 'blob'; bytes: number; head: string };

const numericTypes: ReadonlySet<LogicalType> = new Set(['integer', 'bigint', 'decimal', 'float']);

export function isNumericType(type: LogicalType): boolean {
  return numericTypes.has(type);
}

/** The scale of a `DECIMAL(10,2)`-like native type, so 140.4 shows as 140.40. */
export function decimalScale(nativeType: string): number | undefined {
  const match = /\(\s*\d+\s*,\s*(\d+)\s*\)/.exec(nativeType);
  const scale = match?.[1] === undefined ? undefined : Number(match[1]);
  return scale !== undefined && scale <= 20 ? scale : undefined;
}

export function classifyCell(value: CellValue, type: LogicalType, scale?: number): CellKind {
  if (value === null) return { kind: 'null' };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'number') {
    // SQLite has no boolean storage: a BOOLEAN column arrives as 0/1.
    if (type === 'boolean' && (value === 0 || value === 1)) {
      return { kind: 'boolean', value: value === 1 };
    }
    const fixed = scale !== undefined && Number.isFinite(value) ? value.toFixed(scale) : undefined;
    // toFixed must not invent digits a float never had (1e21 and beyond switches to exponent).
    return {
      kind: 'number',
      text: fixed !== undefined && Number(fixed) === value ? fixed : String(value),
    };
  }
  if (typeof value === 'string') {
    if (value === '') return { kind: 'empty' };
    return isNumericType(type) ? { kind: 'number', text: value } : { kind: 'text', text: value };
  }
  if ('$bigint' in value) return { kind: 'number', text: value.$bigint };
  if ('$text' in value) return { kind: 'truncated', text: value.$text, length: value.length };
  return { kind: 'blob', bytes: value.$blob, head: value.head };
}

export function blobLabel(bytes: number): string {
  return `<blob ${formatBytes(bytes)}>`;
}

/** The cell as plain text, for copying: NULL becomes empty, blobs their label. */
export function cellToText(cell: CellKind): string {
  switch (cell.kind) {
    case 'null':
    case 'empty':
      return '';
    case 'boolean':
      return cell.value ? 'true' : 'false';
    case 'blob':
      return blobLabel(cell.bytes);
    default:
      return cell.text;
  }
}
