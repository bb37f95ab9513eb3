/**
 * A MongoDB collection holding the same rows as a SQLite table diffs as equal by key (its `_id`
 * is a column the table lacks: a schema change, not a changed row). Skipped, loudly, without a
 * MongoDB server (none can be installed on the project's machines; see test/support/mongo.ts).
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
  createMongoDatabase,
  startMongo,
  warnSkipped,
  type TestMongoDatabase,
} from '../../support/mongo.js';
import { diff } from './support.js';

const server = await startMongo();
const skip = typeof server === 'string' ? server : undefined;
warnSkipped('diff against MongoDB', skip);

const rows = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, name: `n${i}`, qty: i * 2 }));
const flatten = (nodes: TreeNode[]): TreeNode[] =>
  nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);

describe.skipIf(skip !== undefined)('diff against MongoDB', () => {
  let dir: string;
  let host: Host;
  let mongo: TestMongoDatabase;
  let table: DatasetRef;
  let collection: DatasetRef;

  beforeAll(async () => {
    if (typeof server === 'string') throw new Error(server);
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-diff-mongo-'));
    writeFileSync(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
    const file = path.join(dir, 'lite.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
    for (const r of rows) insert.run(r.id, r.name, r.qty);
    db.close();
    mongo = await createMongoDatabase(server);
    await mongo.db.collection('t').insertMany(rows.map((r) => ({ ...r })));
    host = await createHost({ dataDir: dir });
    const lite = await host.call('addSqliteConnection', { path: file, name: 'lite' });
    table = { connectionId: lite.id, path: ['main', 't'] };
    const saved = await host.call('saveConnection', {
      name: 'mongo',
      config: { ...mongo.config } as never,
    });
    const node = flatten(await host.call('getTree', { connectionId: saved.id })).find(
      (n) => n.kind !== 'schema' && n.path.at(-1) === 't',
    );
    collection = { connectionId: saved.id, path: node!.path };
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    await mongo?.drop();
    if (typeof server !== 'string') await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the same rows as the table', async () => {
    const summary = await diff(host, {
      a: { kind: 'dataset', ref: table },
      b: { kind: 'dataset', ref: collection },
      key: ['id'],
    });
    expect(summary.schema.added.map((c) => c.name)).toEqual(['_id']);
    expect(summary.counts).toEqual({ added: 0, removed: 0, changed: 0, unchanged: rows.length });
  });
});
