/** Every engine Strata can open, by kind. The only place engines are listed. */
import path from 'node:path';
import { z } from 'zod';
import type { ConnectionKind } from '../../shared/model.js';
import type { BackendFactory } from './backend.js';
import { sqliteFactory } from './sqlite/sqlite-backend.js';

export const connectionConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1) }),
]);
export type ConnectionConfig = z.infer<typeof connectionConfigSchema>;

type FactoryFor<K extends ConnectionKind> = BackendFactory<Extract<ConnectionConfig, { kind: K }>>;

const factories: { [K in ConnectionKind]: FactoryFor<K> } = {
  sqlite: sqliteFactory,
};

export function factoryFor<C extends ConnectionConfig>(config: C): BackendFactory<C> {
  return factories[config.kind] as BackendFactory<C>;
}

/**
 * Connection URLs the CLI accepts in place of a saved connection's name. Each scheme maps to a
 * config; `sqlite:PATH` now, the other stores' schemes as their engines arrive.
 */
export function configFromUrl(text: string): ConnectionConfig | undefined {
  if (text.startsWith('sqlite:')) {
    const rest = text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return rest ? { kind: 'sqlite', path: path.resolve(rest) } : undefined;
  }
  return undefined;
}
