import { quoteIdentWith, type SqlDialect } from '../sql/dialect.js';

export const postgresDialect: SqlDialect = {
  quoteIdent: quoteIdentWith('"'),
  placeholder: (n) => `$${n}`,
  bindValue: (value) => value,
  // ILIKE is PostgreSQL's case-insensitive LIKE (backslash is its default escape); the cast lets
  // numbers, dates and JSON be searched as the text the grid shows.
  contains: (column, param) => `${column}::text ILIKE ${param}`,
};
