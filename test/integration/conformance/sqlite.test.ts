/** The conformance suite against SQLite: a fresh file in a temporary folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteFactory } from '../../../electron/backends/sqlite/sqlite-backend.js';
import { runBackendConformance } from './conformance.js';
import { fixtureSql } from './fixture.js';

runBackendConformance('SQLite', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'strata-conformance-'));
  const file = path.join(dir, 'people.db');
  const db = new Database(file);
  for (const sql of fixtureSql({
    int: 'INTEGER',
    text: 'TEXT',
    decimal: 'DECIMAL(10,2)',
    bool: 'BOOLEAN',
    date: 'DATE',
  })) {
    db.exec(sql);
  }
  db.close();
  const missing = path.join(dir, 'missing.db');
  return {
    backend: await sqliteFactory.open({ kind: 'sqlite', path: file }),
    path: ['main', 'people'],
    viewPath: ['main', 'adults'],
    exactTreeCounts: true,
    errorCases: [
      {
        label: 'missing database file',
        code: 'not-found',
        mentions: missing,
        attempt: () =>
          sqliteFactory.validate({ kind: 'sqlite', path: missing }, { readOnly: true }),
      },
    ],
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});
