/**
 * A host on a temporary data directory (no demo) with a writable SQLite file holding a
 * demo-like `sales` table, and helpers to snapshot and restore through the contract's channels.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { connectionsFileName } from '../../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../../electron/host.js';
import type { DatasetRef } from '../../../shared/model.js';
import type { SnapshotInfo, VersionsJobStatus } from '../../../shared/versions.js';

export interface Fixture {
  dir: string;
  host: Host;
  file: string;
  connectionId: string;
  sales: DatasetRef;
  close(): Promise<void>;
}

const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'CHF'];

export function salesRow(i: number, version = 0): unknown[] {
  const day = new Date(Date.UTC(2023, 0, 1) + (i % 730) * 86_400_000).toISOString().slice(0, 10);
  const amount = Math.round(((i * 104_729 + version * 7) % 100_000) + 1) / 100;
  const note = i % 7 === 0 ? null : `note ${i % 977}${version ? ` v${version}` : ''}`;
  return [
    i,
    day,
    (i * 7919) % 5000,
    (i * 31) % 200,
    amount,
    currencies[i % 5],
    i % 3 ? 1 : 0,
    note,
  ];
}

export function createSalesTable(file: string, rows: number, table = 'sales'): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE ${table} (
    id INTEGER PRIMARY KEY, date DATE NOT NULL, customer_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL, amount DECIMAL(10,2) NOT NULL, currency TEXT NOT NULL,
    paid BOOLEAN NOT NULL, note TEXT)`);
  const insert = db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(...salesRow(i));
  })();
  db.close();
}

export async function createFixture(rows = 50_000, prefix = 'strata-versions-'): Promise<Fixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return fixtureIn(dir, rows);
}

export async function fixtureIn(dir: string, rows: number): Promise<Fixture> {
  writeFileSync(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
  const file = path.join(dir, 'shop.db');
  createSalesTable(file, rows);
  const host = await createHost({ dataDir: dir });
  const { id } = await host.call('addSqliteConnection', { path: file, name: 'shop' });
  return {
    dir,
    host,
    file,
    connectionId: id,
    sales: { connectionId: id, path: ['main', 'sales'] },
    close: async () => {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function snapshot(
  host: Host,
  ref: DatasetRef,
  message = '',
  key?: string[],
): Promise<SnapshotInfo> {
  const { jobId } = await host.call('createSnapshot', { ref, message, ...(key ? { key } : {}) });
  return outcome(host, jobId).then((s) => s.snapshot!);
}

export async function restore(
  host: Host,
  snapshotId: string,
  target: DatasetRef,
  mode: 'create' | 'replace' = 'create',
): Promise<VersionsJobStatus> {
  const { jobId } = await host.call('restoreSnapshot', { snapshotId, target, mode });
  return outcome(host, jobId);
}

async function outcome(host: Host, jobId: string): Promise<VersionsJobStatus> {
  const status = await host.call('getVersionsJob', { jobId, wait: true });
  if (status.state !== 'done') {
    throw new Error(`${status.kind} ${status.state}: ${status.error?.message ?? ''}`);
  }
  return status;
}

/** Every row of a table, in key order, as SQLite gives them. */
export function tableRows(file: string, table: string): unknown[][] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY 1`).raw(true).all() as unknown[][];
  } finally {
    db.close();
  }
}
