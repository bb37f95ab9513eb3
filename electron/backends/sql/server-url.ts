/**
 * Reads `scheme://user:password@host:port/database?sslmode=require` for the server engines. A URL
 * without a password takes it from the engine's environment variable (PGPASSWORD, MYSQL_PWD).
 */
import { z } from 'zod';

export const serverConfigFields = {
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65_535),
  user: z.string().min(1).max(255),
  ssl: z.boolean().optional(),
  /** Only for URLs from the command line; saved passwords are kept apart, encrypted. */
  password: z.string().max(1024).optional(),
};

export interface ServerUrl {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string | undefined;
  ssl?: boolean;
}

export function parseServerUrl(
  text: string,
  schemes: readonly string[],
  defaults: { port: number; user: string; passwordEnv: string },
  env: NodeJS.ProcessEnv,
): ServerUrl | undefined {
  const scheme = text.slice(0, text.indexOf(':') + 1).toLowerCase();
  if (!schemes.includes(scheme)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const user = decodeURIComponent(url.username) || defaults.user;
  const password = url.password ? decodeURIComponent(url.password) : env[defaults.passwordEnv];
  const sslmode = url.searchParams.get('sslmode') ?? url.searchParams.get('ssl-mode');
  const ssl = sslmode !== null && !['disable', 'allow', 'prefer'].includes(sslmode.toLowerCase());
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port ? Number(url.port) : defaults.port,
    user,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    ...(ssl ? { ssl } : {}),
    ...(password ? { password } : {}),
  };
}
