/** PostgreSQL behind the Backend interface: config, target description, validation, opening. */
import pg from 'pg';
import type { BackendFactory } from '../backend.js';
import { openServerBackend } from '../sql/server-backend.js';
import { translatePostgresError } from './errors.js';
import { createPostgresEngine, poolConfig } from './postgres-engine.js';
import { createPostgresWriter } from './postgres-writer.js';
import { postgresCapabilities as capabilities, describePostgresTarget } from './engine.js';

export interface PostgresConfig {
  kind: 'postgres';
  host: string;
  port: number;
  user: string;
  database: string;
  ssl?: boolean | undefined;
  /** Only for URLs given on the command line; saved connections will keep theirs in safeStorage. */
  password?: string | undefined;
}

export const postgresFactory: BackendFactory<PostgresConfig> = {
  capabilities,
  describeTarget: describePostgresTarget,
  validate: async (config) => {
    const client = new pg.Client(poolConfig(config, 1));
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw translatePostgresError(error, config);
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  open: async (config) => {
    const engine = createPostgresEngine(config);
    // Fail at open, with the translated reason, rather than on the first click in the tree.
    try {
      await engine.query('SELECT 1', []);
    } catch (error) {
      await engine.close().catch(() => undefined);
      throw error;
    }
    return openServerBackend(engine, capabilities, createPostgresWriter(config));
  },
};
