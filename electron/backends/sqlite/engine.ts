import path from 'node:path';
import { z } from 'zod';
import { defineEngine } from '../engine.js';
import { sqliteFactory } from './sqlite-backend.js';

export const sqliteEngine = defineEngine({
  kind: 'sqlite',
  configSchema: z.object({ kind: z.literal('sqlite'), path: z.string().min(1) }),
  factory: sqliteFactory,
  /** `sqlite:PATH`, `sqlite:///abs/path`; a relative path is taken from the working directory. */
  fromUrl: (text) => {
    if (!text.startsWith('sqlite:')) return undefined;
    const rest = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return rest ? { kind: 'sqlite' as const, path: path.resolve(rest) } : undefined;
  },
});
