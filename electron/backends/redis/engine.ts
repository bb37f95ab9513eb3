/**
 * Redis as a Strata engine: its saved configuration and the URLs the CLI accepts,
 * `redis://[user:password@]host:port/DB` and `rediss://…` for TLS. A URL without a password
 * takes it from REDISCLI_AUTH, as redis-cli does.
 */
import { z } from 'zod';
import type { Capabilities } from '../../../shared/model.js';
import { defineEngine, lazyFactory } from '../engine.js';
import type { RedisConfig } from './connection.js';

export const redisCapabilities: Capabilities = {
  serverSort: false,
  serverFilter: false,
  transactions: true,
  // A dataset here is the hashes under one prefix, a hash per row: there is no place for a
  // partition (a prefix per value would be a separate dataset). The upload form shows the option
  // disabled from this flag.
  partitions: false,
  partitionsNote: 'A Redis dataset is the hashes under one prefix, with no place for partitions',
  schemas: true,
  write: true,
};

export const describeRedisTarget = (c: RedisConfig): string => {
  const user = c.user ? `${encodeURIComponent(c.user)}@` : '';
  return `${c.tls ? 'rediss' : 'redis'}://${user}${c.host}:${c.port}/${c.db ?? 0}`;
};

export const redisEngine = defineEngine({
  kind: 'redis',
  configSchema: z.object({
    kind: z.literal('redis'),
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65_535),
    db: z.number().int().min(0).max(65_535).optional(),
    user: z.string().min(1).max(255).optional(),
    /** Only for URLs from the command line; saved passwords are kept apart, encrypted. */
    password: z.string().max(1024).optional(),
    tls: z.boolean().optional(),
    keyPattern: z.string().min(1).max(1024).optional(),
  }),
  factory: lazyFactory(
    { capabilities: redisCapabilities, describeTarget: describeRedisTarget },
    async () => (await import('./redis-backend.js')).redisFactory,
  ),
  fromUrl: (text, env) => {
    const scheme = text.slice(0, text.indexOf(':') + 1).toLowerCase();
    if (scheme !== 'redis:' && scheme !== 'rediss:') return undefined;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    const dbText = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (dbText !== '' && !/^\d+$/.test(dbText)) return undefined;
    const user = decodeURIComponent(url.username);
    const password = url.password ? decodeURIComponent(url.password) : env.REDISCLI_AUTH;
    return {
      kind: 'redis' as const,
      host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
      port: url.port ? Number(url.port) : 6379,
      db: dbText === '' ? 0 : Number(dbText),
      ...(user ? { user } : {}),
      ...(password ? { password } : {}),
      ...(scheme === 'rediss:' ? { tls: true } : {}),
    };
  },
});
