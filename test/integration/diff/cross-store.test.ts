/**
 * The same rows in SQLite, PostgreSQL, a CSV file and a CSV in an S3 bucket diff as equal, across
 * the stores' own types (PostgreSQL numeric text, SQLite 1/0 booleans, bigint keys); a column that
 * is an integer on one side and text on the other is one schema change, not a changed row each.
 * A snapshot diffs against live PostgreSQL; two live PostgreSQL tables are compared by range
 * checksums when the backend can scan ranges. MongoDB: see mongodb.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionsFileName } from '../../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../../electron/host.js';
import type { DatasetRef, TreeNode } from '../../../shared/model.js';
import {
  createPostgresDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../../support/servers.js';
import type { PostgresConfig } from '../../../electron/backends/postgres/postgres-backend.js';
import { startS3, type TestS3 } from '../s3/s3-server.js';
import { snapshot } from '../versions/support.js';
import { diff } from './support.js';

const rows = 2_000;
const pgSkip = await postgresAvailable();
if (pgSkip) console.warn(`cross-store diff tests skipped: ${pgSkip}`);

function row(i: number): [number, string, string, number, boolean] {
  return [i, `name ${i} é ✓`, (Math.round(i * 137.31) / 100).toFixed(2), i * 3, i % 3 === 0];
}

const csvText = () =>
  `id,name,amount,qty,flag\n${Array.from({ length: rows }, (_, k) => {
    const [i, name, amount, qty, flag] = row(rows - k); // reversed: a CSV's order is its own
    return `${i},${name},${amount},${qty},${flag}`;
  }).join('\n')}\n`;

function flatten(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
}

describe.skipIf(pgSkip !== undefined)('diff across stores', () => {
  let dir: string;
  let host: Host;
  let pgDb: TestDatabase<PostgresConfig>;
  let s3: TestS3;
  let lite: DatasetRef;
  let pg: (table: string) => DatasetRef;
  let bucketCsv: DatasetRef;
  let csvFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-diff-cross-'));
    writeFileSync(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
    const file = path.join(dir, 'lite.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, amount DECIMAL(10,2),
      qty INTEGER, flag BOOLEAN)`);
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
    for (let i = 1; i <= rows; i++) {
      const [id, name, amount, qty, flag] = row(i);
      insert.run(id, name, Number(amount), qty, flag ? 1 : 0);
    }
    db.close();
    csvFile = path.join(dir, 't.csv');
    writeFileSync(csvFile, csvText());

    pgDb = await createPostgresDatabase();
    const values = Array.from({ length: rows }, (_, k) => {
      const [i, name, amount, qty, flag] = row(k + 1);
      return `(${i}, '${name}', ${amount}, ${qty}, ${flag})`;
    }).join(',');
    await pgDb.exec(`
      CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC(10,2), qty INTEGER, flag BOOLEAN);
      INSERT INTO t VALUES ${values};
      CREATE TABLE t_text (id BIGINT PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC(10,2), qty TEXT, flag BOOLEAN);
      INSERT INTO t_text SELECT id, name, amount, qty::text, flag FROM t;
      CREATE TABLE t_copy AS SELECT * FROM t; ALTER TABLE t_copy ADD PRIMARY KEY (id);
      UPDATE t_copy SET name = 'renamed' WHERE id = 1234;`);

    s3 = await startS3();
    await s3.createBucket('lake');
    await s3.put('lake', 't.csv', csvText());

    host = await createHost({ dataDir: dir });
    const liteConnection = await host.call('addSqliteConnection', { path: file, name: 'lite' });
    lite = { connectionId: liteConnection.id, path: ['main', 't'] };
    const { host: pgHost, port, user, database } = pgDb.config;
    const pgConnection = await host.call('saveConnection', {
      name: 'pg',
      config: { kind: 'postgres', host: pgHost, port, user, database },
      secrets: { password: pgDb.config.password ?? null },
    });
    pg = (table) => ({ connectionId: pgConnection.id, path: ['public', table] });
    // Field by field: the AWS SDK marks the shared credentials object with fields of its own.
    const { endpoint, region, accessKeyId, secretAccessKey } = s3.config('lake');
    const s3Connection = await host.call('saveConnection', {
      name: 'lake',
      config: {
        kind: 's3',
        bucket: 'lake',
        endpoint: endpoint ?? null,
        region,
        forcePathStyle: true,
        accessKeyId: accessKeyId ?? null,
      },
      secrets: { secretAccessKey: secretAccessKey ?? null },
    });
    const tree = flatten(await host.call('getTree', { connectionId: s3Connection.id }));
    const node = tree.find((n) => n.kind !== 'schema' && n.path.at(-1)?.startsWith('t.csv'));
    if (!node)
      throw new Error(`t.csv not in the bucket's tree: ${JSON.stringify(tree.map((n) => n.path))}`);
    bucketCsv = { connectionId: s3Connection.id, path: node.path };
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await pgDb?.drop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite and PostgreSQL hold the same rows', async () => {
    const summary = await diff(host, {
      a: { kind: 'dataset', ref: lite },
      b: { kind: 'dataset', ref: pg('t') },
    });
    expect(summary.schema.retyped).toEqual([]);
    expect(summary.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: rows });
  });

  it('a CSV file and a CSV in a bucket hold them too', async () => {
    const local = await diff(host, {
      a: { kind: 'csv', file: csvFile },
      b: { kind: 'dataset', ref: pg('t') },
    });
    expect(local.key).toEqual(['id']);
    expect(local.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: rows });
    const bucket = await diff(host, {
      a: { kind: 'dataset', ref: bucketCsv },
      b: { kind: 'dataset', ref: lite },
    });
    expect(bucket.key).toEqual(['id']);
    expect(bucket.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: rows });
  });

  it('integer against text is a schema change, not a changed row each', async () => {
    const summary = await diff(host, {
      a: { kind: 'dataset', ref: lite },
      b: { kind: 'dataset', ref: pg('t_text') },
    });
    expect(summary.schema.retyped).toMatchObject([
      { name: 'qty', old: { type: 'integer' }, new: { type: 'text' } },
    ]);
    expect(summary.equal).toBe(false);
    expect(summary.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: rows });
  });

  it('a snapshot against live PostgreSQL', async () => {
    const taken = await snapshot(host, pg('t'));
    const summary = await diff(host, {
      a: { kind: 'snapshot', snapshotId: taken.id },
      b: { kind: 'dataset', ref: pg('t_copy') },
    });
    expect(summary.counts).toEqual({ added: 0, removed: 0, changed: 1, unchanged: rows - 1 });
    const page = await host.call('getDiffPage', { diffId: summary.diffId, offset: 0, limit: 10 });
    expect(page.rows[0]).toMatchObject({ kind: 'changed', key: [1234], changed: [1] });
  });

  it('two live PostgreSQL tables, by range checksums where the backend scans ranges', async () => {
    const summary = await diff(host, {
      a: { kind: 'dataset', ref: pg('t') },
      b: { kind: 'dataset', ref: pg('t_copy') },
    });
    expect(summary.counts).toEqual({ added: 0, removed: 0, changed: 1, unchanged: rows - 1 });
    const backend = await host.connections.backend(pg('t').connectionId);
    if (backend.scan) {
      expect(summary.method).toBe('range-checksum');
      expect(summary.rowsRead.a).toBeLessThan(rows);
    } else {
      console.warn(
        'PostgreSQL has no scan() yet: the live pair was streamed, not range-checksummed',
      );
      expect(summary.method).toBe('stream');
    }
  });
});
