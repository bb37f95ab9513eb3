/**
 * Saved connections: one versioned JSON file in the data directory, validated by zod on every
 * read and written atomically. A file that fails validation is kept aside, never overwritten.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import { connectionConfigSchema } from '../backends/registry.js';
import { writeFileAtomic } from '../storage/atomic-file.js';

export const savedConnectionSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  readOnly: z.boolean().default(false),
  createdAt: z.string(),
  config: connectionConfigSchema,
});
export type SavedConnection = z.infer<typeof savedConnectionSchema>;

const connectionsFileSchema = z.object({
  version: z.literal(1),
  connections: z.array(savedConnectionSchema),
});

export const connectionsFileName = 'connections.json';

export class ConnectionStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, connectionsFileName);
  }

  /** The saved connections, or `undefined` when the data directory has never been used. */
  async load(): Promise<SavedConnection[] | undefined> {
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
    return result.data.connections;
  }

  async save(connections: SavedConnection[]): Promise<void> {
    const content: z.infer<typeof connectionsFileSchema> = { version: 1, connections };
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
