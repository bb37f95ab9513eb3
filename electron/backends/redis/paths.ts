/**
 * How Redis appears as datasets. Every path starts with the logical database (`db0`…), then
 * says what is looked at:
 *   ['db0', 'keys', 'user:*']   the key browser: keys matching a glob, with type, TTL, memory;
 *   ['db0', 'key', 'user:1']    one key's contents, shaped by its type;
 *   ['db0', 'hashes', 'user:']  every hash under a prefix as one table, one row per key.
 */
import { AppError } from '../../../shared/errors.js';
import type { DatasetPath } from '../../../shared/model.js';

export type RedisDatasetKind = 'keys' | 'key' | 'hashes';

export interface RedisPath {
  db: number;
  kind: RedisDatasetKind;
  /** The glob, key name or prefix. */
  name: string;
}

const kinds: readonly string[] = ['keys', 'key', 'hashes'];

export function dbLabel(db: number): string {
  return `db${db}`;
}

export function parseRedisPath(path: DatasetPath): RedisPath {
  const [dbPart, kind, ...rest] = path;
  const db = /^db(\d{1,5})$/.exec(dbPart ?? '');
  // A key name may itself contain dots, which a dataset reference splits on: join them back.
  const name = rest.join('.');
  if (!db || kind === undefined || !kinds.includes(kind) || name === '') {
    throw new AppError(
      'invalid-input',
      `“${path.join('.')}” is not a Redis dataset`,
      'Use dbN.keys.PATTERN (key browser), dbN.key.NAME (one key) or dbN.hashes.PREFIX (hashes as a table).',
    );
  }
  return { db: Number(db[1]), kind: kind as RedisDatasetKind, name };
}

export function redisPath(db: number, kind: RedisDatasetKind, name: string): DatasetPath {
  return [dbLabel(db), kind, name];
}
