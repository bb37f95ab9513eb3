import { z } from 'zod';
import { defineEngine } from '../engine.js';
import { parseServerUrl, serverConfigFields } from '../sql/server-url.js';
import { postgresFactory } from './postgres-backend.js';

export const postgresEngine = defineEngine({
  kind: 'postgres',
  configSchema: z.object({
    kind: z.literal('postgres'),
    ...serverConfigFields,
    database: z.string().min(1).max(255),
  }),
  factory: postgresFactory,
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
