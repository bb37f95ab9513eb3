/**
 * Saved connections: one versioned JSON file in the data directory, validated by zod on every
 * read and written atomically. A file that fails validation is kept aside, never overwritten.
 *
 * Version 2 added SSH tunnels and encrypted secrets (`secrets: { password: { enc, box } }`).
 * A version 1 file is read as version 2 (it had neither) and written back as version 2; any
 * password a version 1 config held in plain text is sealed by the ConnectionManager on load.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { sshTunnelSchema } from '../../shared/model.js';
import { connectionConfigSchema } from '../backends/registry.js';
import { writeFileAtomic } from '../storage/atomic-file.js';
import { storedSecretsSchema } from './secret-vault.js';

const savedConnectionV1Schema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  readOnly: z.boolean().default(false),
  createdAt: z.string(),
  config: connectionConfigSchema,
});

export const savedConnectionSchema = savedConnectionV1Schema.extend({
  tunnel: sshTunnelSchema.optional(),
  /** Encrypted; absent means none saved. */
  secrets: storedSecretsSchema.optional(),
});
export type SavedConnection = z.infer<typeof savedConnectionSchema>;

export const connectionsFileVersion = 2;

const connectionsFileSchema = z.discriminatedUnion('version', [
  z.object({ version: z.literal(1), connections: z.array(savedConnectionV1Schema) }),
  z.object({ version: z.literal(2), connections: z.array(savedConnectionSchema) }),
]);

export const connectionsFileName = 'connections.json';

export interface LoadedConnections {
  connections: SavedConnection[];
  /** The version the file had; below `connectionsFileVersion` it should be written back. */
  version: number;
}

export class ConnectionStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, connectionsFileName);
  }

  /** The saved connections, or `undefined` when the data directory has never been used. */
  async load(): Promise<LoadedConnections | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.corrupt('it is not valid JSON');
    }
    const result = connectionsFileSchema.safeParse(parsed);
    if (!result.success) throw this.corrupt(result.error.issues[0]?.message ?? 'invalid');
    return { connections: result.data.connections, version: result.data.version };
  }

  async save(connections: SavedConnection[]): Promise<void> {
    const content = { version: connectionsFileVersion, connections };
    await writeFileAtomic(this.file, `${JSON.stringify(content, null, 2)}\n`);
  }

  private corrupt(reason: string): AppError {
    return new AppError(
      'invalid-input',
      `The saved connections file ${this.file} cannot be read: ${reason}`,
      'Fix or remove the file; Strata will not overwrite it.',
    );
  }
}
