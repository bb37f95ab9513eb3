/**
 * PostgreSQL's half of range checksums: each cell turned into its canonical text in SQL (the
 * rules in range-checksum-rules.ts), a row's hash the low 60 bits of md5 of their concatenation,
 * summed exactly as numeric — all on the server, so no row crosses the network.
 */
import type { Column } from '../../../shared/model.js';
import type { RangeChecksumDialect } from '../sql/range-checksum.js';
import { portableHash } from '../range-checksum-rules.js';
import { postgresDialect } from './dialect.js';

/**
 * PostgreSQL's own 64-bit text hash (the one hash partitioning relies on, so it stays stable
 * across platforms and upgrades): the same canonical text, hashed about twice as fast as md5.
 */
const nativeHash = 'postgres-hashtext64';

const collatable = /^(text|character varying|character|varchar|char|bpchar|name|citext)\b/i;

/** A cell's canonical text; NULL stays NULL. */
function cellText(column: Column, q: string): string {
  switch (column.type) {
    case 'integer':
    case 'bigint':
      return `${q}::text`;
    case 'decimal':
      return `trim_scale(${q})::text`;
    case 'float':
      // float8 → numeric keeps 15 significant digits, as the JS rules do before rounding.
      return `trim_scale(round(${q}::numeric, 6))::text`;
    case 'boolean':
      return `${q}::int::text`;
    case 'date':
      return `to_char(${q}, 'YYYY-MM-DD')`;
    case 'timestamp': {
      const utc = /with time zone/i.test(column.nativeType) ? `(${q} AT TIME ZONE 'UTC')` : q;
      // The fraction always has six digits here, so trimming zeros then the point never eats
      // into the seconds.
      return `rtrim(rtrim(to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US'), '0'), '.')`;
    }
    case 'blob':
      return `encode(${q}, 'hex')`;
    case 'json':
      return `${q}::jsonb::text`;
    default:
      return `${q}::text`;
  }
}

export const postgresRangeChecksums: RangeChecksumDialect = {
  ...postgresDialect,
  orderedKey: (column, q) => (collatable.test(column.nativeType) ? `${q} COLLATE "C"` : q),
  hashes: [nativeHash, portableHash],
  checksum: (columns, hash) => {
    const cells = columns.map((c) => {
      const text = cellText(c, postgresDialect.quoteIdent(c.name));
      // `||` with NULL is NULL, so a NULL cell falls through to the marker.
      return `coalesce(octet_length(${text})::text || ':' || ${text}, 'N')`;
    });
    const row = cells.join(' || ');
    if (hash === nativeHash) {
      // Byte-wise ("C") so a nondeterministic collation cannot hash equal-looking texts alike.
      return `coalesce(sum(hashtextextended((${row}) COLLATE "C", 0)), 0)::text`;
    }
    return `coalesce(sum(('x' || substr(md5(${row}), 18))::bit(60)::bigint), 0)::text`;
  },
};
