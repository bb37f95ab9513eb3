/** An S3-compatible bucket used as a data lake: objects browsed as folders, data files as datasets. */
import { z } from 'zod';
import { fileDatasetCapabilities } from '../file-datasets/defaults.js';
import { defineEngine, lazyFactory } from '../engine.js';

const configSchema = z.object({
  kind: z.literal('s3'),
  bucket: z.string().min(1).optional(),
  prefix: z.string().optional(),
  endpoint: z.string().url().optional(),
  region: z.string().min(1).default('us-east-1'),
  forcePathStyle: z.boolean().optional(),
  accessKeyId: z.string().min(1).optional(),
  secretAccessKey: z.string().min(1).optional(),
});
export type S3Config = z.infer<typeof configSchema>;

export const describeS3Target = (config: S3Config): string => {
  const where = config.bucket ? `s3://${config.bucket}/${config.prefix ?? ''}` : 's3://';
  return config.endpoint ? `${where} at ${config.endpoint}` : `${where} (${config.region})`;
};

export const s3Factory = lazyFactory(
  { capabilities: fileDatasetCapabilities, describeTarget: describeS3Target },
  async () => (await import('./s3-backend.js')).s3BackendFactory,
);

export const s3Engine = defineEngine({
  kind: 's3',
  configSchema,
  factory: s3Factory,
  /**
   * `s3://BUCKET/PREFIX?endpoint=http://127.0.0.1:4569&region=eu-west-1&path_style=true`, or
   * `s3://` for every bucket. Credentials come from `s3://KEY:SECRET@BUCKET/…` or, when absent,
   * from the SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles…).
   */
  fromUrl: (text) => {
    if (!text.startsWith('s3://')) return undefined;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    const config: S3Config = { kind: 's3', region: url.searchParams.get('region') ?? 'us-east-1' };
    if (url.hostname) config.bucket = decodeURIComponent(url.hostname);
    const prefix = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (prefix) config.prefix = prefix;
    const endpoint = url.searchParams.get('endpoint');
    if (endpoint) config.endpoint = endpoint;
    const pathStyle = url.searchParams.get('path_style');
    if (pathStyle !== null)
      config.forcePathStyle = pathStyle === '' || pathStyle === 'true' || pathStyle === '1';
    if (url.username && url.password) {
      config.accessKeyId = decodeURIComponent(url.username);
      config.secretAccessKey = decodeURIComponent(url.password);
    }
    return config;
  },
});
