import { z } from 'zod';
import type { Capabilities } from '../../../shared/model.js';
import { defineEngine, lazyFactory } from '../engine.js';
import type { MongoConfig } from './client.js';
import { describeMongoUrl, parseMongoUrl, withoutPassword } from './url.js';

export const mongodbCapabilities: Capabilities = {
  serverSort: true,
  serverFilter: true,
  // Multi-document transactions exist on replica sets and sharded clusters only, not on a
  // standalone mongod; writers must check before relying on one.
  transactions: true,
  // Uploads write one collection; MongoDB's own partitioning (sharding) is the cluster's to set
  // up, not an upload's. The upload form shows the option disabled from this flag.
  partitions: false,
  partitionsNote: 'An upload writes one collection; MongoDB shards collections on the cluster',
  schemas: true,
  write: true,
};

export const describeMongoTarget = (config: MongoConfig): string =>
  describeMongoUrl(config.url, config.database);

export const mongodbEngine = defineEngine({
  kind: 'mongodb',
  configSchema: z.object({
    kind: z.literal('mongodb'),
    /** A `mongodb://` or `mongodb+srv://` URL without its password (that is kept apart). */
    url: z
      .string()
      .min(1)
      .max(4096)
      .refine((url) => parseMongoUrl(url) !== undefined, 'Not a mongodb:// or mongodb+srv:// URL')
      .refine(
        (url) => parseMongoUrl(url)?.password === undefined,
        'The URL must not hold a password; give it apart',
      ),
    /** Only for URLs from the command line; saved passwords are kept apart, encrypted. */
    password: z.string().max(1024).optional(),
    /** The database the connection is about; the tree still lists the others it may read. */
    database: z.string().min(1).max(64).optional(),
  }),
  factory: lazyFactory(
    { capabilities: mongodbCapabilities, describeTarget: describeMongoTarget },
    async () => (await import('./mongodb-backend.js')).mongodbFactory,
  ),
  // The password comes from the URL, else from MONGODB_PASSWORD (only when the URL names a user).
  fromUrl: (text, env) => {
    const parts = parseMongoUrl(text);
    if (!parts) return undefined;
    const password = parts.password ?? (parts.user ? env.MONGODB_PASSWORD : undefined);
    return {
      kind: 'mongodb' as const,
      url: withoutPassword(parts),
      ...(password ? { password } : {}),
      ...(parts.database ? { database: parts.database } : {}),
    };
  },
});
