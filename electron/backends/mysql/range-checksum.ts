/**
 * MariaDB/MySQL's half of range checksums: each cell turned into its canonical text in SQL (the
 * rules in range-checksum-rules.ts), a row's hash the low 60 bits of MD5 of their concatenation
 * in utf8mb4, summed exactly as DECIMAL — all on the server, so no row crosses the network.
 */
import type { Column } from '../../../shared/model.js';
import type { RangeChecksumDialect } from '../sql/range-checksum.js';
import { portableHash } from '../range-checksum-rules.js';
import { mysqlDialect } from './dialect.js';

/** Trailing fractional zeros, then a bare point, off a text that always has a point. */
const trimFraction = (text: string) => `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM ${text}))`;

const hasScale = (nativeType: string) => /\(\s*\d+\s*,\s*[1-9]\d*\s*\)/.test(nativeType);

/** A cell's canonical text; NULL stays NULL. */
function cellText(column: Column, q: string): string {
  switch (column.type) {
    case 'integer':
    case 'bigint':
      return `CAST(${q} AS CHAR)`;
    case 'decimal':
      return hasScale(column.nativeType)
        ? trimFraction(`CAST(${q} AS CHAR)`)
        : `CAST(${q} AS CHAR)`;
    case 'float': {
      const rounded = trimFraction(`CAST(CAST(${q} AS DECIMAL(65,6)) AS CHAR)`);
      return `(CASE WHEN ${rounded} = '-0' THEN '0' ELSE ${rounded} END)`;
    }
    case 'boolean':
      return `CAST((${q} <> 0) AS CHAR)`;
    case 'date':
      return `DATE_FORMAT(${q}, '%Y-%m-%d')`;
    case 'timestamp': {
      // TIMESTAMP is stored in UTC but shown in the session's zone; DATETIME has no zone.
      const utc = /^timestamp/i.test(column.nativeType)
        ? `CONVERT_TZ(${q}, @@session.time_zone, '+00:00')`
        : q;
      return trimFraction(`DATE_FORMAT(${utc}, '%Y-%m-%dT%H:%i:%s.%f')`);
    }
    case 'blob':
      return `LOWER(HEX(${q}))`;
    default:
      return `CONVERT(${q} USING utf8mb4)`;
  }
}

const numeric = new Set(['integer', 'bigint', 'decimal', 'float', 'boolean']);

export const mysqlRangeChecksums: RangeChecksumDialect = {
  ...mysqlDialect,
  // Bytes order text as scan.ts does (utf8mb4_bin pads with spaces, so 'a' = 'a ' there).
  orderedKey: (column, q) =>
    numeric.has(column.type) ? q : `CAST(CONVERT(${q} USING utf8mb4) AS BINARY)`,
  hashes: [portableHash],
  checksum: (columns) => {
    const cells = columns.map((c) => {
      const text = cellText(c, mysqlDialect.quoteIdent(c.name));
      // CONCAT with NULL is NULL, so a NULL cell falls through to the marker.
      return `COALESCE(CONCAT(LENGTH(${text}), ':', ${text}), 'N')`;
    });
    const hash = `CAST(CONV(SUBSTRING(MD5(CONCAT(${cells.join(', ')})), 18), 16, 10) AS UNSIGNED)`;
    return `CAST(COALESCE(SUM(${hash}), 0) AS CHAR)`;
  },
};
