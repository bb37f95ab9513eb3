/**
 * Upload through the host's channels, into a real SQLite file: sniffFile, startIngest,
 * getIngestResult, cancelJob — the same calls the window and the CLI make. Checks what reaches the
 * store (rows read back through the browse channels) and what must not (rejected, cancelled and
 * read-only loads leave the target as it was).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlan, type IngestPlanInput } from '../../../shared/ingest.js';
import { connectionsFileName } from '../../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../../electron/host.js';
import { expectError } from './support.js';

let dir: string;
let host: Host;
let writable: string;
let readOnly: string;
const view = { sort: [], filters: [] };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'strata-ingest-host-'));
  // An existing (empty) connections file: no demo database to generate first.
  writeFileSync(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
  host = await createHost({ dataDir: dir });
  for (const name of ['rw', 'ro']) new Database(path.join(dir, `${name}.db`)).close();
  writable = (await host.call('addSqliteConnection', { path: path.join(dir, 'rw.db'), name: 'rw' }))
    .id;
  readOnly = (
    await host.call('addSqliteConnection', {
      path: path.join(dir, 'ro.db'),
      name: 'ro',
      readOnly: true,
    })
  ).id;
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function csv(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function plan(file: string, table: string, changes: Partial<IngestPlanInput> = {}) {
  const sniff = await host.call('sniffFile', { path: file });
  return { ...defaultPlan(sniff, { connectionId: writable, path: ['main', table] }), ...changes };
}

async function load(file: string, table: string, changes: Partial<IngestPlanInput> = {}) {
  const { jobId } = await host.call('startIngest', { plan: await plan(file, table, changes) });
  return host.call('getIngestResult', { jobId, wait: true });
}

/** Loads with `qty` retyped as an integer, as a person would in the preview. */
async function loadQty(file: string, table: string, changes: Partial<IngestPlanInput> = {}) {
  const planned = await plan(file, table, changes);
  planned.columns = planned.columns.map((c) => (c.name === 'qty' ? { ...c, type: 'integer' } : c));
  const { jobId } = await host.call('startIngest', { plan: planned });
  return host.call('getIngestResult', { jobId, wait: true });
}

const tableExists = async (table: string) =>
  (await host.call('getTree', { connectionId: writable }))
    .flatMap((schema) => schema.children ?? [])
    .some((node) => node.label === table);

describe('upload through the host', () => {
  it('loads a file, typed, and the rows read back through the browse channels', async () => {
    const file = csv(
      'people.csv',
      'id,name,joined,score\n1,Ada,2024-01-02,1.50\n2,"Lovelace, A",2024-02-03,2.25\n',
    );
    const status = await load(file, 'people', { key: ['id'] });
    expect(status).toMatchObject({ state: 'loaded', summary: { rowsLoaded: 2, rowsRejected: 0 } });
    const ref = { connectionId: writable, path: ['main', 'people'] };
    const schema = await host.call('describeDataset', { ref });
    expect(schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'id:integer',
      'name:text',
      'joined:date',
      'score:decimal',
    ]);
    expect(schema.key).toEqual(['id']);
    const page = await host.call('getPage', { ref, view, offset: 0, limit: 10 });
    expect(page.rows.map((r) => r.slice(0, 3))).toEqual([
      [1, 'Ada', '2024-01-02'],
      [2, 'Lovelace, A', '2024-02-03'],
    ]);
  });

  it('rejects the file at the first violation and leaves the store as it was', async () => {
    const file = csv('bad.csv', 'id,qty\n1,5\n2,lots\n3,7\n4,more\n');
    const status = await loadQty(file, 'bad');
    expect(status.state).toBe('rejected');
    expect(status.report?.counts).toEqual([{ rule: 'column-type', column: 'qty', count: 2 }]);
    expect(status.report?.violations.map((v) => v.line)).toEqual([3, 5]);
    expect(await tableExists('bad')).toBe(false);
  });

  it('loads the good rows and writes the others to the rejects file', async () => {
    const file = csv('mixed.csv', 'id,qty\n1,5\n2,lots\n3,7\n');
    const rejectsPath = path.join(dir, 'mixed.rejects.csv');
    const status = await loadQty(file, 'mixed', { policy: 'load-good-rows', rejectsPath });
    expect(status).toMatchObject({
      state: 'loaded',
      summary: { rowsLoaded: 2, rowsRejected: 1, rejectsPath },
    });
    const { count } = await host.call('countRows', {
      ref: { connectionId: writable, path: ['main', 'mixed'] },
      view,
    });
    expect(count).toBe(2);
  });

  it('never overwrites a rejects file, and reads only regular files', async () => {
    const file = csv('again.csv', 'id,qty\n1,5\n');
    const rejectsPath = csv('exists.csv', 'precious\n');
    const status = await loadQty(file, 'again', { policy: 'load-good-rows', rejectsPath });
    expect(status).toMatchObject({
      state: 'failed',
      error: { message: expect.stringContaining('already exists') },
    });
    expect(readFileSync(rejectsPath, 'utf8')).toBe('precious\n');
    await expectError(host.call('sniffFile', { path: dir }), {
      code: 'invalid-input',
      message: 'is not a file',
    });
  });

  it('fails an append the table refuses mid-load (a key already in it), writing nothing', async () => {
    // The file is valid on its own, so only SQLite, in the writer's thread, finds the clash: its
    // error must come back over the row port and the append must roll back whole. 12,000 rows
    // make many batches, the clash in a late one.
    const lines = ['id,qty'];
    for (let i = 1; i <= 12_000; i++) lines.push(`${i + 100},${i}`);
    lines.push('7,1');
    const first = await loadQty(csv('keys-1.csv', 'id,qty\n5,1\n6,1\n7,1\n'), 'keyed', {
      key: ['id'],
    });
    expect(first.state).toBe('loaded');
    const status = await loadQty(csv('keys-2.csv', `${lines.join('\n')}\n`), 'keyed', {
      mode: 'append',
      key: ['id'],
    });
    expect(status).toMatchObject({
      state: 'failed',
      error: { message: expect.stringMatching(/UNIQUE|already|constraint/i) },
    });
    const ref = { connectionId: writable, path: ['main', 'keyed'] };
    const page = await host.call('getPage', { ref, view, offset: 0, limit: 10 });
    expect(page.rows.map((r) => r[0])).toEqual([5, 6, 7]);
  });

  it('reports an append that does not fit the table, writing nothing', async () => {
    const file = csv('extra.csv', 'id,name,extra\n3,Grace,x\n');
    const status = await load(file, 'people', { mode: 'append' });
    expect(status.state).toBe('rejected');
    expect(status.report?.schemaIssues).toEqual([
      { column: 'extra', message: 'the target has no such column' },
    ]);
    const { count } = await host.call('countRows', {
      ref: { connectionId: writable, path: ['main', 'people'] },
      view,
    });
    expect(count).toBe(2);
  });

  it('appends rows converted to the table’s own types', async () => {
    const file = csv('more.csv', 'id,name,joined,score\n3,Grace,2024-03-04,7\n');
    const status = await load(file, 'people', { mode: 'append' });
    expect(status).toMatchObject({ state: 'loaded', summary: { rowsLoaded: 1 } });
  });

  it('refuses a read-only connection, and partitioning on a store that cannot', async () => {
    const file = csv('small.csv', 'a,b\n1,2\n');
    const readOnlyPlan = {
      ...(await plan(file, 'x')),
      target: { connectionId: readOnly, path: ['main', 'x'] },
    };
    await expectError(host.call('startIngest', { plan: readOnlyPlan }), {
      code: 'read-only',
      message: 'is read-only',
    });
    const status = await load(file, 'x', { partitionBy: ['a'] });
    expect(status).toMatchObject({
      state: 'failed',
      error: {
        code: 'invalid-input',
        message: 'This store cannot partition datasets: SQLite has no table partitioning',
      },
    });
  });

  it('cancels: the worker stops, the write is abandoned, the table never appears', async () => {
    const lines = ['id,text'];
    for (let i = 0; i < 300_000; i++) lines.push(`${i},"row ${i}, with a comma"`);
    const file = csv('big.csv', `${lines.join('\n')}\n`);
    const { jobId } = await host.call('startIngest', { plan: await plan(file, 'big') });
    const progressed = new Promise<void>((resolve) => {
      const stop = host.subscribe((event, payload) => {
        if (event === 'jobProgress' && (payload as { jobId: string }).jobId === jobId) {
          stop();
          resolve();
        }
      });
    });
    await progressed;
    expect((await host.call('cancelJob', { jobId })).cancelled).toBe(true);
    const status = await host.call('getIngestResult', { jobId, wait: true });
    expect(status.state).toBe('cancelled');
    expect(await tableExists('big')).toBe(false);
  });
});
