/**
 * The catalog questions a PostgreSQL write asks, on its own connection inside its transaction:
 * what the target is (and how it is partitioned), which sequences its columns own, which staging
 * tables a broken writer left behind, which indexes a staging table got.
 */
import type { DatasetSchema } from '../../../shared/model.js';
import { stagingPrefix } from '../sql/write-target.js';
import { postgresLookup } from './catalog.js';

export type RowQuery = (sql: string, params?: unknown[]) => Promise<unknown[][]>;

export interface ExistingRelation {
  oid: string;
  relkind: string;
  described: DatasetSchema;
  /** For a partitioned table partitioned by one column: that column and LIST or RANGE. */
  partitioned?: { column: string; strategy: 'list' | 'range' } | undefined;
}

export async function findRelation(
  query: RowQuery,
  schema: string,
  name: string,
  database: string,
): Promise<ExistingRelation | undefined> {
  const found = await query(
    `SELECT c.oid::int8::text, c.relkind,
            (SELECT CASE WHEN pt.partnatts = 1 THEN pt.partstrat::text END || ':' || a.attname
             FROM pg_partitioned_table pt
             JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
             WHERE pt.partrelid = c.oid)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`,
    [schema, name],
  );
  if (found.length === 0) return undefined;
  const [oid, relkind, partitioning] = found[0]!.map((v) => (v === null ? null : String(v)));
  const dataset = await postgresLookup(
    (sql, params) => query(sql, [...params]),
    [schema, name],
    database,
  );
  const match = /^([lr]):(.*)$/s.exec(partitioning ?? '');
  return {
    oid: oid!,
    relkind: relkind!,
    described: dataset.described,
    partitioned: match
      ? { column: match[2]!, strategy: match[1] === 'l' ? 'list' : 'range' }
      : undefined,
  };
}

/** Sequences owned by the table's columns (serial columns), with the column each belongs to. */
export async function ownedSequences(
  query: RowQuery,
  oid: string,
): Promise<Array<{ sequence: string; column: string }>> {
  const rows = await query(
    `SELECT format('%I.%I', sn.nspname, s.relname), a.attname
     FROM pg_depend d
     JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
     JOIN pg_namespace sn ON sn.oid = s.relnamespace
     JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.refobjid = $1::int8::oid AND d.deptype = 'a'`,
    [oid],
  );
  return rows.map(([sequence, column]) => ({ sequence: String(sequence), column: String(column) }));
}

/**
 * Indexes of a table: name, and a signature that is the same for the index `LIKE … INCLUDING
 * ALL` copies (kind, method, columns, predicate — what follows USING), so copies can be given
 * back their original names.
 */
export async function indexes(
  query: RowQuery,
  schema: string,
  table: string,
): Promise<Array<{ name: string; signature: string }>> {
  const rows = await query(
    `SELECT i.relname,
            x.indisprimary::text || x.indisunique::text ||
            substring(pg_get_indexdef(x.indexrelid) from ' USING .*$')
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = $1 AND t.relname = $2 ORDER BY i.relname`,
    [schema, table],
  );
  return rows.map(([name, signature]) => ({ name: String(name), signature: String(signature) }));
}

/**
 * Staging tables other sessions can see. A staging table is renamed or rolled back with its
 * transaction, so a visible one was left by something that broke these rules; one still being
 * loaded is invisible here (uncommitted), so dropping what is found never hurts a live write.
 */
export async function leftoverStagingTables(query: RowQuery, schema: string): Promise<string[]> {
  const rows = await query(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
       AND left(c.relname, $2) = $3`,
    [schema, stagingPrefix.length, stagingPrefix],
  );
  return rows.map(([name]) => String(name));
}
