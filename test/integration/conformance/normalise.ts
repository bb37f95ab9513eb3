/**
 * Turns a page's cells back into the fixture's plain values, so rows from every engine compare
 * equal to the same expectation: SQLite keeps DECIMAL as a number, PostgreSQL and MySQL as
 * exact text; booleans may arrive as 0/1 from engines without a boolean type.
 */
import type { CellValue, Column } from '../../../shared/model.js';
import type { Person } from './fixture.js';

export type PlainValue = string | number | boolean | null;

export function normaliseRow(columns: readonly Column[], row: readonly CellValue[]): PlainValue[] {
  return row.map((cell, i) => normaliseCell(columns[i]!, cell));
}

function normaliseCell(column: Column, cell: CellValue): PlainValue {
  if (cell === null) return null;
  if (typeof cell === 'object') {
    if ('$bigint' in cell) return cell.$bigint;
    if ('$text' in cell) return cell.$text;
    return `blob:${cell.head}`;
  }
  switch (column.type) {
    case 'decimal':
      return Number(cell).toFixed(2);
    case 'integer':
    case 'bigint':
      return Number(cell);
    case 'boolean':
      return cell === true || cell === 1;
    default:
      return cell;
  }
}

export function personRow(p: Person): PlainValue[] {
  return [p.id, p.name, p.age, p.balance, p.active, p.born, p.note];
}

/** Fixture rows in the order a sort by `keys` (each ascending or descending) then id gives. */
export function sortedPeople(
  rows: readonly Person[],
  keys: ReadonlyArray<[keyof Person, 'asc' | 'desc']>,
): Person[] {
  const compare = (a: Person, b: Person): number => {
    for (const [key, direction] of keys) {
      const x = a[key];
      const y = b[key];
      if (x === y) continue;
      const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return direction === 'asc' ? order : -order;
    }
    return a.id - b.id;
  };
  return [...rows].sort(compare);
}
