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
