import { z } from 'zod';
import type { Capabilities } from '../../../shared/model.js';
import { defineEngine, lazyFactory } from '../engine.js';
import { parseServerUrl, serverConfigFields } from '../sql/server-url.js';
import type { PostgresConfig } from './postgres-backend.js';

export const postgresCapabilities: Capabilities = {
  serverSort: true,
  serverFilter: true,
  transactions: true,
  partitions: true,
  schemas: true,
  write: true,
};

export const describePostgresTarget = (c: PostgresConfig): string =>
  `postgres://${encodeURIComponent(c.user)}@${c.host}:${c.port}/${c.database}`;

export const postgresEngine = defineEngine({
  kind: 'postgres',
  configSchema: z.object({
    kind: z.literal('postgres'),
    ...serverConfigFields,
    database: z.string().min(1).max(255),
  }),
  factory: lazyFactory(
    { capabilities: postgresCapabilities, describeTarget: describePostgresTarget },
    async () => (await import('./postgres-backend.js')).postgresFactory,
  ),
  fromUrl: (text, env) => {
    const url = parseServerUrl(
      text,
      ['postgres:', 'postgresql:'],
      { port: 5432, user: 'postgres', passwordEnv: 'PGPASSWORD' },
      env,
    );
    if (!url) return undefined;
    const { database, ...rest } = url;
    return { kind: 'postgres' as const, ...rest, database: database ?? url.user };
  },
});
