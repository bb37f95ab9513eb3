/** What differs between SQL engines when Strata builds a query. */
export interface SqlDialect {
  quoteIdent(name: string): string;
  /** The placeholder for the n-th (1-based) bound parameter. */
  placeholder(n: number): string;
  /** A bound value in the form the driver accepts (e.g. SQLite has no boolean). */
  bindValue(value: string | number | boolean): string | number | boolean;
  /** An expression that is true when `column` contains `param`, case-insensitively. */
  contains(column: string, param: string): string;
}

/** Escapes LIKE's wildcards so user text matches literally; pair with `ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function quoteIdentWith(quote: '"' | '`') {
  return (name: string): string => `${quote}${name.split(quote).join(quote + quote)}${quote}`;
}
