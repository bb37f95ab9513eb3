/**
 * Every engine Strata can open, and the only place engines are listed: a new engine is an
 * `engine.ts` in its folder, added to `engines` and to the config union below.
 */
import { z } from 'zod';
import type { BackendFactory } from './backend.js';
import { filesEngine } from './files/engine.js';
import { mongodbEngine } from './mongodb/engine.js';
import { mysqlEngine } from './mysql/engine.js';
import { postgresEngine } from './postgres/engine.js';
import { redisEngine } from './redis/engine.js';
import { s3Engine } from './s3/engine.js';
import { sqliteEngine } from './sqlite/engine.js';

const engines = [
  sqliteEngine,
  postgresEngine,
  mysqlEngine,
  redisEngine,
  mongodbEngine,
  filesEngine,
  s3Engine,
] as const;

export const connectionConfigSchema = z.discriminatedUnion('kind', [
  sqliteEngine.configSchema,
  postgresEngine.configSchema,
  mysqlEngine.configSchema,
  filesEngine.configSchema,
  s3Engine.configSchema,
  redisEngine.configSchema,
  mongodbEngine.configSchema,
]);
export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;
export type KnownKind = ConnectionConfig['kind'];

export function factoryFor<C extends ConnectionConfig>(config: C): BackendFactory<C> {
  const engine = engines.find((e) => e.kind === config.kind);
  if (!engine) throw new Error(`No engine for ${config.kind}`);
  return engine.factory as unknown as BackendFactory<C>;
}

/**
 * The connection a URL names, for the CLI: `sqlite:PATH`, `postgres://…`, `mysql://…` and the
 * other engines' schemes. Undefined when no engine reads it.
 */
export function configFromUrl(
  text: string,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionConfig | undefined {
  for (const engine of engines) {
    const config = engine.fromUrl(text, env);
    if (config) return config;
  }
  return undefined;
}
