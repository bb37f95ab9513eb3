/**
 * The tables a SQLite write creates: declared types chosen so that SQLite's affinity keeps values
 * as written and the reader (types.ts) reads back the same logical type; and, for a replace of a
 * table with the same columns, the existing definition under the staging name.
 */
import type { Column } from '../../../shared/model.js';
import { declaredDecimal } from '../sql/write-target.js';
import { sqliteDialect } from './dialect.js';

const q = sqliteDialect.quoteIdent;

/**
 * Declared type per logical type. JSON is declared `JSON TEXT`: a bare `JSON` has NUMERIC
 * affinity, which would turn the document `1.50` into the number 1.5 and round big integers.
 * Dates and timestamps keep NUMERIC affinity like every SQLite tool's DATE, which leaves ISO text
 * alone. A decimal declared with a precision keeps it; SQLite stores it as NUMERIC either way.
 */
export function sqliteDeclaredType(column: Column): string {
  switch (column.type) {
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'decimal': {
      const declared = declaredDecimal(column.nativeType);
      return declared ? `DECIMAL(${declared.precision},${declared.scale})` : 'NUMERIC';
    }
    case 'float':
      return 'REAL';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'text':
      return 'TEXT';
    case 'json':
      return 'JSON TEXT';
    case 'blob':
      return 'BLOB';
    case 'unknown':
      return '';
  }
}

/** `CREATE TABLE` for the columns, key columns NOT NULL (SQLite would let NULL into a key). */
export function createTableSql(
  qualified: string,
  columns: readonly Column[],
  key: readonly string[],
): string {
  const keySet = new Set(key);
  const defs = columns.map((c) => {
    const type = sqliteDeclaredType(c);
    const notNull = keySet.has(c.name) || !c.nullable ? ' NOT NULL' : '';
    return `${q(c.name)}${type ? ` ${type}` : ''}${notNull}`;
  });
  if (key.length > 0) defs.push(`PRIMARY KEY (${key.map(q).join(', ')})`);
  return `CREATE TABLE ${qualified} (${defs.join(', ')})`;
}

const createTableHead =
  /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:(?:"(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|[\w$]+)\s*\.\s*)?(?:"(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|'(?:[^']|'')*'|[\w$]+)/i;

/**
 * The existing table's own `CREATE TABLE` with the staging name in place of its name, so a
 * replace keeps its types, defaults, CHECKs, STRICT, WITHOUT ROWID and collations. Undefined
 * when the statement does not start the usual way (then the caller builds one from the columns).
 */
export function renamedCreateSql(originalSql: string, qualified: string): string | undefined {
  const head = createTableHead.exec(originalSql);
  if (!head) return undefined;
  return `CREATE TABLE ${qualified}${originalSql.slice(head[0].length)}`;
}
