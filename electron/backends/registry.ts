/** Every engine Strata can open, by kind. The only place engines are listed. */
import path from 'node:path';
import { z } from 'zod';
import type { ConnectionKind } from '../../shared/model.js';
import type { BackendFactory } from './backend.js';
import { mysqlFactory } from './mysql/mysql-backend.js';
import { postgresFactory } from './postgres/postgres-backend.js';
import { sqliteFactory } from './sqlite/sqlite-backend.js';

const serverFields = {
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65_535),
  user: z.string().min(1).max(255),
  ssl: z.boolean().optional(),
  /** Only for URLs from the command line; saving passwords (safeStorage) is a later step. */
  password: z.string().max(1024).optional(),
};

export const connectionConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1) }),
  z.object({ kind: z.literal('postgres'), ...serverFields, database: z.string().min(1).max(255) }),
  z.object({
    kind: z.literal('mysql'),
    ...serverFields,
    database: z.string().min(1).max(255).optional(),
  }),
]);
export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;

type FactoryFor<K extends ConnectionKind> = BackendFactory<Extract<ConnectionConfig, { kind: K }>>;

const factories: { [K in ConnectionKind]: FactoryFor<K> } = {
  sqlite: sqliteFactory,
  postgres: postgresFactory,
  mysql: mysqlFactory,
};

export function factoryFor<C extends ConnectionConfig>(config: C): BackendFactory<C> {
  return factories[config.kind] as BackendFactory<C>;
}

/** URL schemes of the server engines, with their default port and password variable. */
const serverSchemes: Record<
  string,
  { kind: 'postgres' | 'mysql'; port: number; passwordEnv: string }
> = {
  'postgres:': { kind: 'postgres', port: 5432, passwordEnv: 'PGPASSWORD' },
  'postgresql:': { kind: 'postgres', port: 5432, passwordEnv: 'PGPASSWORD' },
  'mysql:': { kind: 'mysql', port: 3306, passwordEnv: 'MYSQL_PWD' },
  'mariadb:': { kind: 'mysql', port: 3306, passwordEnv: 'MYSQL_PWD' },
};

/**
 * Connection URLs the CLI accepts in place of a saved connection's name: `sqlite:PATH`,
 * `postgres://user:pass@host:port/db?sslmode=require` (or `postgresql://`), and
 * `mysql://…` / `mariadb://…`. A URL without a password takes it from PGPASSWORD / MYSQL_PWD.
 */
export function configFromUrl(
  text: string,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionConfig | undefined {
  if (text.startsWith('sqlite:')) {
    const rest = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return rest ? { kind: 'sqlite', path: path.resolve(rest) } : undefined;
  }
  const scheme = serverSchemes[text.slice(0, text.indexOf(':') + 1).toLowerCase()];
  if (!scheme) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const user =
    decodeURIComponent(url.username) || (scheme.kind === 'postgres' ? 'postgres' : 'root');
  const password = url.password ? decodeURIComponent(url.password) : env[scheme.passwordEnv];
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  const sslmode = url.searchParams.get('sslmode') ?? url.searchParams.get('ssl-mode');
  const ssl = sslmode !== null && !['disable', 'allow', 'prefer'].includes(sslmode.toLowerCase());
  const common = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port ? Number(url.port) : scheme.port,
    user,
    ...(ssl ? { ssl } : {}),
    ...(password ? { password } : {}),
  };
  return scheme.kind === 'postgres'
    ? { kind: 'postgres', ...common, database: database ?? user }
    : { kind: 'mysql', ...common, ...(database ? { database } : {}) };
}
