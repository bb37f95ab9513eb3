/**
 * Turns a view (filters and sort from the grid) into SQL clauses with bound parameters. Column
 * names are checked against the dataset's schema and quoted; values are never spliced into SQL.
 */
import { AppError } from '../../../shared/errors.js';
import type { Column, Filter, SortSpec, ViewSpec } from '../../../shared/model.js';
import { escapeLike, type SqlDialect } from './dialect.js';

export interface SqlFragment {
  sql: string;
  params: Array<string | number | boolean>;
}

export function columnNamed(columns: readonly Column[], name: string): Column {
  const column = columns.find((c) => c.name === name);
  if (!column) throw new AppError('invalid-input', `No column named “${name}” in this dataset`);
  return column;
}

/** `WHERE …` (or empty) for the view's filters; parameters numbered from `firstParam`. */
export function whereClause(
  dialect: SqlDialect,
  columns: readonly Column[],
  filters: readonly Filter[],
  firstParam = 1,
): SqlFragment {
  const conditions: string[] = [];
  const params: SqlFragment['params'] = [];
  const bind = (value: string | number | boolean): string => {
    params.push(dialect.bindValue(value));
    return dialect.placeholder(firstParam + params.length - 1);
  };
  for (const filter of filters) {
    const column = columnNamed(columns, filter.column);
    const ident = dialect.quoteIdent(column.name);
    switch (filter.op) {
      case 'isNull':
        conditions.push(`${ident} IS NULL`);
        break;
      case 'notNull':
        conditions.push(`${ident} IS NOT NULL`);
        break;
      case 'eq':
        conditions.push(`${ident} = ${bind(coerce(column, filter.value))}`);
        break;
      case 'contains':
        conditions.push(dialect.contains(ident, bind(`%${escapeLike(filter.value)}%`)));
        break;
      case 'range': {
        const min = filter.min?.trim() ? coerce(column, filter.min) : undefined;
        const max = filter.max?.trim() ? coerce(column, filter.max) : undefined;
        if (min !== undefined) conditions.push(`${ident} >= ${bind(min)}`);
        if (max !== undefined) conditions.push(`${ident} <= ${bind(max)}`);
        break;
      }
    }
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * `ORDER BY …` for the view's sort, always ending in `tieBreak` (the key or row id) so that the
 * order is total and paging never shows a row twice or skips one.
 */
export function orderByClause(
  dialect: SqlDialect,
  columns: readonly Column[],
  sort: readonly SortSpec[],
  tieBreak: readonly string[],
): string {
  const terms = sort.map(
    (s) =>
      `${dialect.quoteIdent(columnNamed(columns, s.column).name)} ${s.direction === 'desc' ? 'DESC' : 'ASC'}`,
  );
  const sorted = new Set(sort.map((s) => s.column));
  for (const expr of tieBreak) if (!sorted.has(expr)) terms.push(expr);
  return terms.length ? `ORDER BY ${terms.join(', ')}` : '';
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A filter's text as the column's type, or a clear error naming the column and the value. */
export function coerce(column: Column, text: string): string | number | boolean {
  const value = text.trim();
  switch (column.type) {
    case 'integer':
    case 'bigint':
    case 'decimal':
    case 'float': {
      if (!numberPattern.test(value)) {
        throw new AppError(
          'invalid-input',
          `“${text}” is not a number, and column “${column.name}” holds numbers`,
        );
      }
      const n = Number(value);
      return Number.isSafeInteger(n) || !Number.isInteger(n) ? n : value;
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      if (['true', 't', '1', 'yes', 'y'].includes(lower)) return true;
      if (['false', 'f', '0', 'no', 'n'].includes(lower)) return false;
      throw new AppError(
        'invalid-input',
        `“${text}” is not true or false, and column “${column.name}” is boolean`,
      );
    }
    default:
      return text;
  }
}

export function viewKey(view: ViewSpec): string {
  return JSON.stringify([view.sort, view.filters]);
}
