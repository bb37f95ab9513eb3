import { z } from 'zod';
import type { Capabilities } from '../../../shared/model.js';
import { defineEngine, lazyFactory } from '../engine.js';
import { parseServerUrl, serverConfigFields } from '../sql/server-url.js';
import type { MysqlConfig } from './mysql-backend.js';

export const mysqlCapabilities: Capabilities = {
  serverSort: true,
  serverFilter: true,
  transactions: true,
  partitions: true,
  schemas: true,
  write: true,
};

export const describeMysqlTarget = (c: MysqlConfig): string =>
  `mysql://${encodeURIComponent(c.user)}@${c.host}:${c.port}${c.database ? `/${c.database}` : ''}`;

export const mysqlEngine = defineEngine({
  kind: 'mysql',
  configSchema: z.object({
    kind: z.literal('mysql'),
    ...serverConfigFields,
    database: z.string().min(1).max(255).optional(),
  }),
  factory: lazyFactory(
    { capabilities: mysqlCapabilities, describeTarget: describeMysqlTarget },
    async () => (await import('./mysql-backend.js')).mysqlFactory,
  ),
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
