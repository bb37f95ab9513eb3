/**
 * The database servers integration tests use: PostgreSQL and MariaDB/MySQL from `POSTGRES_URL`
 * and `MYSQL_URL`, or the machine's own services on their default ports. Each test run gets a
 * database of its own, uniquely named, dropped afterwards; a server that cannot be reached
 * yields a reason for skipping (loudly), never a silent pass or an unexplained failure.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { connectionOptions } from '../../electron/backends/mysql/mysql-engine.js';
import { configFromUrl } from '../../electron/backends/registry.js';
import type { MysqlConfig } from '../../electron/backends/mysql/mysql-backend.js';
import type { PostgresConfig } from '../../electron/backends/postgres/postgres-backend.js';

export const postgresUrl =
  process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const mysqlUrl = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase<Config> {
  url: string;
  config: Config;
  /** Runs setup SQL (DDL, fixture inserts) in the test database. */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

function uniqueName(): string {
  return `strata_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function postgresServer(): PostgresConfig {
  const config = configFromUrl(postgresUrl);
  if (config?.kind !== 'postgres') throw new Error(`POSTGRES_URL is not a postgres:// URL`);
  return config;
}

function mysqlServer(): MysqlConfig {
  const config = configFromUrl(mysqlUrl);
  if (config?.kind !== 'mysql') throw new Error(`MYSQL_URL is not a mysql:// URL`);
  return config;
}

/** Undefined when PostgreSQL answers; otherwise why the PostgreSQL tests are skipped. */
export async function postgresAvailable(): Promise<string | undefined> {
  const client = new pg.Client({ ...postgresServer(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${postgresUrl} is unreachable (${(error as Error).message}); set POSTGRES_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function mysqlAvailable(): Promise<string | undefined> {
  try {
    const connection = await mysql.createConnection({
      ...connectionOptions(mysqlServer()),
      connectTimeout: 3_000,
    });
    await connection.end();
    return undefined;
  } catch (error) {
    return `MySQL/MariaDB at ${mysqlUrl} is unreachable (${(error as Error).message}); set MYSQL_URL`;
  }
}

export async function createPostgresDatabase(): Promise<TestDatabase<PostgresConfig>> {
  const server = postgresServer();
  const name = uniqueName();
  const admin = new pg.Client(server);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const config: PostgresConfig = { ...server, database: name };
  return {
    url: withDatabase(postgresUrl, name),
    config,
    exec: async (sql) => {
      const client = new pg.Client(config);
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      const client = new pg.Client(server);
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function createMysqlDatabase(): Promise<TestDatabase<MysqlConfig>> {
  const server = mysqlServer();
  const name = uniqueName();
  const run = async (sql: string, database?: string) => {
    const connection = await mysql.createConnection({
      ...connectionOptions({ ...server, database }),
      multipleStatements: true,
    });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await run(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  return {
    url: withDatabase(mysqlUrl, name),
    config: { ...server, database: name },
    exec: (sql) => run(sql, name),
    drop: () => run(`DROP DATABASE IF EXISTS ${name}`),
  };
}
