/**
 * MySQL/MariaDB specifics beyond the conformance suite: unsigned bigints past 2^53, decimals and
 * datetimes as the server's text, tinyint(1) as boolean, and cancelling with KILL QUERY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { mysqlFactory, type MysqlConfig } from '../../../electron/backends/mysql/mysql-backend.js';
import { createMysqlDatabase, mysqlAvailable, type TestDatabase } from '../../support/servers.js';

const skip = await mysqlAvailable();
if (skip) console.warn(`⚠ SKIPPED MySQL engine tests: ${skip}`);
const plain = { sort: [], filters: [] };

describe.skipIf(skip !== undefined)('MySQL/MariaDB engine', () => {
  let db: TestDatabase<MysqlConfig>;
  let backend: Backend;
  let database: string;
  beforeAll(async () => {
    db = await createMysqlDatabase();
    database = db.config.database!;
    await db.exec(`
      CREATE TABLE vals (id BIGINT UNSIGNED PRIMARY KEY, amount DECIMAL(30,10), at DATETIME(3),
        flag TINYINT(1), raw VARBINARY(16));
      INSERT INTO vals VALUES
        (18446744073709551615, 12345678901234567890.0123456789, '2024-03-10 02:30:00.123', 1, X'DEADBEEF'),
        (1, 0.1, NULL, 0, '');
      CREATE VIEW slow AS SELECT 1 AS id, SLEEP(10) AS s;`);
    backend = await mysqlFactory.open(db.config);
  });
  afterAll(async () => {
    await backend?.close();
    await db?.drop();
  });

  it('keeps bigints, decimals and datetimes exactly as the server has them', async () => {
    const schema = await backend.describe([database, 'vals']);
    expect(schema.columns.map((c) => c.type)).toEqual([
      'bigint',
      'decimal',
      'timestamp',
      'boolean',
      'blob',
    ]);
    const page = await backend.page([database, 'vals'], plain, 0, 10);
    expect(page.rows).toEqual([
      [1, '0.1000000000', null, false, { $blob: 0, head: '' }],
      [
        { $bigint: '18446744073709551615' },
        '12345678901234567890.0123456789',
        '2024-03-10 02:30:00.123',
        true,
        { $blob: 4, head: 'deadbeef' },
      ],
    ]);
    // Keyset paging past a key beyond 2^53 binds it back exactly.
    expect((await backend.page([database, 'vals'], plain, 1, 10)).rows).toHaveLength(1);
    expect((await backend.page([database, 'vals'], plain, 2, 10)).rows).toEqual([]);
  });

  it('cancels a running statement on the server when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const error = await backend
      .page([database, 'slow'], plain, 0, 10, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await backend.count([database, 'vals'], plain)).toBe(2);
  });
  it('names TLS as the cause when a TLS connection fails', async () => {
    const outcome = await mysqlFactory
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
