/** PostgreSQL types → logical types, and the value parsers that keep values faithful. */
import pg from 'pg';
import type { LogicalType } from '../../../shared/model.js';

const byName: Record<string, LogicalType> = {
  int2: 'integer',
  int4: 'integer',
  oid: 'integer',
  int8: 'bigint',
  numeric: 'decimal',
  money: 'text',
  float4: 'float',
  float8: 'float',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  json: 'json',
  jsonb: 'json',
  bytea: 'blob',
};

/**
 * `typname` is the base type's name (a domain is looked through by the catalog query);
 * `category` is pg_type.typcategory: 'A' for arrays, 'S' strings, 'E' enums, …
 */
export function logicalTypeOfPostgres(typname: string, category: string): LogicalType {
  if (category === 'A') return 'json';
  // Everything else (text, varchar, uuid, enums, time, inet, geometric…) is shown as its text.
  return byName[typname] ?? 'text';
}

const raw = (text: string): string => text;

/**
 * Per-pool parsers (not pg's global ones, which other code in the process may rely on):
 * dates and timestamps stay the server's text, never a JS Date shifted into the local zone;
 * JSON stays the server's text rather than being parsed and re-serialised; intervals stay text.
 * int8 and numeric are already text by default, which server-cells.ts turns into exact values.
 */
export function postgresTypeParsers(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  for (const oid of [
    pg.types.builtins.DATE,
    pg.types.builtins.TIMESTAMP,
    pg.types.builtins.TIMESTAMPTZ,
    pg.types.builtins.JSON,
    pg.types.builtins.JSONB,
    pg.types.builtins.INTERVAL,
  ]) {
    types.setTypeParser(oid, raw);
  }
  return types;
}
