/**
 * A FileSource from plain configuration, so each worker thread can open its own (a source holds
 * file handles or an HTTP client, which cannot cross threads).
 */
import { s3Source, type S3SourceConfig } from '../s3/s3-source.js';
import { localSource } from './local-source.js';
import type { WritableFileSource } from './source.js';

export type SourceConfig = { kind: 'local'; root: string } | ({ kind: 's3' } & S3SourceConfig);

export function openSource(config: SourceConfig): WritableFileSource {
  return config.kind === 'local' ? localSource(config.root) : s3Source(config);
}
