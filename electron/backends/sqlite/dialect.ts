import { quoteIdentWith, type SqlDialect } from '../sql/dialect.js';

export const sqliteDialect: SqlDialect = {
  quoteIdent: quoteIdentWith('"'),
  placeholder: () => '?',
  bindValue: (value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value),
  // SQLite's LIKE is case-insensitive for ASCII; CAST lets numbers and dates be searched as text.
  contains: (column, param) => `CAST(${column} AS TEXT) LIKE ${param} ESCAPE '\\'`,
};
