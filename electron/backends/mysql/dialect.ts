import { quoteIdentWith, type SqlDialect } from '../sql/dialect.js';

export const mysqlDialect: SqlDialect = {
  quoteIdent: quoteIdentWith('`'),
  placeholder: () => '?',
  bindValue: (value) => value,
  // CAST lets numbers and dates be searched as text; the connection's default collation is
  // case-insensitive. The SQL literal '\\' is one backslash, matching escapeLike().
  contains: (column, param) => `CAST(${column} AS CHAR) LIKE ${param} ESCAPE '\\\\'`,
};
