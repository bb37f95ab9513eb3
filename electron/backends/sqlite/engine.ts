import path from 'node:path';
import { z } from 'zod';
import type { Capabilities } from '../../../shared/model.js';
import { defineEngine, lazyFactory } from '../engine.js';
import type { SqliteConfig } from './sqlite-backend.js';

export const sqliteCapabilities: Capabilities = {
  serverSort: true,
  serverFilter: true,
  transactions: true,
  partitions: false,
  partitionsNote: 'SQLite has no table partitioning',
  schemas: true,
  write: true,
};

export const describeSqliteTarget = (config: SqliteConfig): string => config.path;

export const sqliteEngine = defineEngine({
  kind: 'sqlite',
  configSchema: z.object({ kind: z.literal('sqlite'), path: z.string().min(1) }),
  factory: lazyFactory(
    { capabilities: sqliteCapabilities, describeTarget: describeSqliteTarget },
    async () => (await import('./sqlite-backend.js')).sqliteFactory,
  ),
  /** `sqlite:PATH`, `sqlite:///abs/path`; a relative path is taken from the working directory. */
  fromUrl: (text) => {
    if (!text.startsWith('sqlite:')) return undefined;
    const rest = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return rest ? { kind: 'sqlite' as const, path: path.resolve(rest) } : undefined;
  },
});
