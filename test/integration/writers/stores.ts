/**
 * The three SQL stores the writer tests run against, behind one shape: a fresh SQLite file, a
 * fresh PostgreSQL database, a fresh MariaDB database (each dropped afterwards), with the Backend
 * Strata opens on it and a raw driver connection for setup and for checking what is stored.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Backend } from '../../../electron/backends/backend.js';
import { connectionOptions } from '../../../electron/backends/mysql/mysql-engine.js';
import { mysqlFactory } from '../../../electron/backends/mysql/mysql-backend.js';
import { postgresFactory } from '../../../electron/backends/postgres/postgres-backend.js';
import { sqliteFactory } from '../../../electron/backends/sqlite/sqlite-backend.js';
import type { DatasetPath } from '../../../shared/model.js';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  mysqlAvailable,
  postgresAvailable,
} from '../../support/servers.js';

export type StoreKind = 'sqlite' | 'postgres' | 'mysql';

export interface WriterStore {
  kind: StoreKind;
  backend: Backend;
  /** The dataset path of table `name` in the store's default schema or database. */
  path(name: string): DatasetPath;
  /** Runs setup SQL, one statement at a time. */
  exec(sql: string): Promise<void>;
  /** Rows of a query as arrays, straight from the driver. */
  rows(sql: string): Promise<unknown[][]>;
  tableNames(): Promise<string[]>;
  teardown(): Promise<void>;
}

export interface StoreSetup {
  kind: StoreKind;
  skip: string | undefined;
  open(): Promise<WriterStore>;
}

export async function sqliteSetup(): Promise<StoreSetup> {
  return {
    kind: 'sqlite',
    skip: undefined,
    open: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'strata-writers-'));
      const file = path.join(dir, 'store.db');
      const db = new Database(file);
      const backend = await sqliteFactory.open({ kind: 'sqlite', path: file });
      return {
        kind: 'sqlite',
        backend,
        path: (name) => ['main', name],
        exec: async (sql) => void db.exec(sql),
        rows: async (sql) => db.prepare(sql).raw(true).safeIntegers(true).all() as unknown[][],
        tableNames: async () =>
          (
            db
              .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
              .pluck()
              .all() as string[]
          ).sort(),
        teardown: async () => {
          await backend.close();
          db.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export async function postgresSetup(): Promise<StoreSetup> {
  return {
    kind: 'postgres',
    skip: await postgresAvailable(),
    open: async () => {
      const database = await createPostgresDatabase();
      const client = new pg.Client({ ...database.config });
      // int8 and numeric stay text; bytea is a Buffer: exact values for the comparisons.
      await client.connect();
      const backend = await postgresFactory.open(database.config);
      return {
        kind: 'postgres',
        backend,
        path: (name) => ['public', name],
        exec: async (sql) => void (await client.query(sql)),
        rows: async (sql) => (await client.query<unknown[]>({ text: sql, rowMode: 'array' })).rows,
        tableNames: async () =>
          (
            await client.query<{ relname: string }>(
              "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1",
            )
          ).rows.map((r) => r.relname),
        teardown: async () => {
          await backend.close();
          await client.end();
          await database.drop();
        },
      };
    },
  };
}

export async function mysqlSetup(): Promise<StoreSetup> {
  return {
    kind: 'mysql',
    skip: await mysqlAvailable(),
    open: async () => {
      const database = await createMysqlDatabase();
      const connection = await mysql.createConnection(connectionOptions(database.config));
      const backend = await mysqlFactory.open(database.config);
      const name = database.config.database!;
      return {
        kind: 'mysql',
        backend,
        path: (table) => [name, table],
        exec: async (sql) => void (await connection.query(sql)),
        rows: async (sql) => {
          const [rows] = await connection.query({ sql, rowsAsArray: true });
          return rows as unknown[][];
        },
        tableNames: async () => {
          const [rows] = await connection.query<mysql.RowDataPacket[]>(
            'SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
            [name],
          );
          return rows.map((r) => String(r.n));
        },
        teardown: async () => {
          await backend.close();
          await connection.end();
          await database.drop();
        },
      };
    },
  };
}
