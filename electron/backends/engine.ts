/**
 * What an engine folder contributes to the registry: its kind, the zod schema of its saved
 * configuration, its factory, and how it reads a connection URL given on the command line.
 * Adding an engine is one `engine.ts` in its folder and one line in registry.ts.
 */
import type { z } from 'zod';
import type { ConnectionKind } from '../../shared/model.js';
import type { BackendFactory } from './backend.js';

export interface Engine<
  K extends ConnectionKind,
  Schema extends z.ZodObject<{ kind: z.ZodLiteral<K> }>,
> {
  kind: K;
  configSchema: Schema;
  factory: BackendFactory<z.infer<Schema>>;
  /** The config a URL names, or undefined when the URL is not one of this engine's. */
  fromUrl(text: string, env: NodeJS.ProcessEnv): z.infer<Schema> | undefined;
}

export function defineEngine<
  K extends ConnectionKind,
  Schema extends z.ZodObject<{ kind: z.ZodLiteral<K> }>,
>(engine: Engine<K, Schema>): Engine<K, Schema> {
  return engine;
}

/**
 * A factory whose driver module loads at its first use, as every engine registers its own: a
 * process then loads only the drivers it opens. The CLI opens one store per run, and loading
 * every engine's (the MongoDB, MySQL, AWS and Redis clients: ~4.5 MB of the 6.5 MB bundle) had
 * been most of its start-up. What the app shows before opening anything is given up front.
 */
export function lazyFactory<Config>(
  known: Pick<BackendFactory<Config>, 'capabilities' | 'describeTarget'>,
  load: () => Promise<BackendFactory<Config>>,
): BackendFactory<Config> {
  let loading: Promise<BackendFactory<Config>> | undefined;
  const loaded = () => (loading ??= load());
  return {
    ...known,
    validate: async (config, options) => (await loaded()).validate(config, options),
    open: async (config) => (await loaded()).open(config),
  };
}
