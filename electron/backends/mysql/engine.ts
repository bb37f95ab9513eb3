import { z } from 'zod';
import { defineEngine } from '../engine.js';
import { parseServerUrl, serverConfigFields } from '../sql/server-url.js';
import { mysqlFactory } from './mysql-backend.js';

export const mysqlEngine = defineEngine({
  kind: 'mysql',
  configSchema: z.object({
    kind: z.literal('mysql'),
    ...serverConfigFields,
    database: z.string().min(1).max(255).optional(),
  }),
  factory: mysqlFactory,
  fromUrl: (text, env) => {
    const url = parseServerUrl(
      text,
      ['mysql:', 'mariadb:'],
      { port: 3306, user: 'root', passwordEnv: 'MYSQL_PWD' },
      env,
    );
    if (!url) return undefined;
    const { database, ...rest } = url;
    return { kind: 'mysql' as const, ...rest, ...(database ? { database } : {}) };
  },
});
