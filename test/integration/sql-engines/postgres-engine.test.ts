/**
 * PostgreSQL specifics beyond the conformance suite: values that a careless driver setup
 * would round or shift (int8 past 2^53, numeric, dates, timestamptz), raw JSON, bytea,
 * materialised views in the tree, and cancelling a running statement with an AbortSignal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { postgresFactory } from '../../../electron/backends/postgres/postgres-backend.js';
import {
  createPostgresDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../../support/servers.js';
import type { PostgresConfig } from '../../../electron/backends/postgres/postgres-backend.js';

const skip = await postgresAvailable();
if (skip) console.warn(`⚠ SKIPPED PostgreSQL engine tests: ${skip}`);
const plain = { sort: [], filters: [] };

describe.skipIf(skip !== undefined)('PostgreSQL engine', () => {
  let db: TestDatabase<PostgresConfig>;
  let backend: Backend;
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.exec(`
      CREATE TABLE vals (id int8 PRIMARY KEY, amount numeric(30,10), born date, at timestamptz,
        local timestamp, doc jsonb, raw bytea, tags text[]);
      INSERT INTO vals VALUES
        (9007199254740993, 12345678901234567890.0123456789, '1900-01-01', '2024-03-10 02:30:00+00',
         '2024-03-10 02:30:00', '{"b": 1, "a": [1, 2]}', '\\xdeadbeef', '{x,y}'),
        (1, 0.1, '2000-02-29', NULL, NULL, 'null', '', '{}');
      CREATE MATERIALIZED VIEW vals_summary AS SELECT count(*) AS n FROM vals;
      CREATE VIEW slow AS SELECT 1 AS id, pg_sleep(10)::text AS s;`);
    backend = await postgresFactory.open(db.config);
  });
  afterAll(async () => {
    await backend?.close();
    await db?.drop();
  });

  it('keeps int8, numeric, dates and timestamps exactly as the server has them', async () => {
    const schema = await backend.describe(['public', 'vals']);
    expect(schema.columns.map((c) => c.type)).toEqual([
      'bigint',
      'decimal',
      'date',
      'timestamp',
      'timestamp',
      'json',
      'blob',
      'json',
    ]);
    expect(schema.columns[1]!.nativeType).toBe('numeric(30,10)');
    const page = await backend.page(['public', 'vals'], plain, 0, 10);
    const [first, second] = page.rows;
    expect(first).toEqual([
      1,
      '0.1000000000',
      '2000-02-29',
      null,
      null,
      'null',
      { $blob: 0, head: '' },
      '[]',
    ]);
    expect(second!.slice(0, 5)).toEqual([
      { $bigint: '9007199254740993' },
      '12345678901234567890.0123456789',
      '1900-01-01',
      expect.stringMatching(/^2024-03-10 \d\d:30:00[+-]\d\d/),
      '2024-03-10 02:30:00',
    ]);
    expect(second![5]).toBe('{"a": [1, 2], "b": 1}');
    expect(second![6]).toEqual({ $blob: 4, head: 'deadbeef' });
    const found = await backend.page(
      ['public', 'vals'],
      { sort: [], filters: [{ column: 'id', op: 'eq', value: '9007199254740993' }] },
      0,
      10,
    );
    expect(found.rows.map((r) => r[0])).toEqual([{ $bigint: '9007199254740993' }]);
  });

  it('shows materialised views as their own kind', async () => {
    const nodes = (await backend.tree()).flatMap((n) => n.children ?? []);
    expect(nodes.find((n) => n.label === 'vals_summary')?.kind).toBe('materialized-view');
    expect(nodes.find((n) => n.label === 'slow')?.kind).toBe('view');
  });

  it('cancels a running statement on the server when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const error = await backend
      .page(['public', 'slow'], plain, 0, 10, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
    // The pool's connections are still usable afterwards.
    expect(await backend.count(['public', 'vals'], plain)).toBe(2);
  });
  it('names TLS as the cause when a TLS connection fails', async () => {
    const outcome = await postgresFactory
      .validate({ ...db.config, ssl: true }, { readOnly: true })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // A server offering TLS with a trusted certificate simply accepts; otherwise the reason is TLS.
    if (outcome === undefined) return;
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).code).toBe('unavailable');
    expect((outcome as AppError).message).toContain('TLS');
  });
});
