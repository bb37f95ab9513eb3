/** An S3-compatible bucket used as a data lake: objects browsed as folders, data files as datasets. */
import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { BackendFactory } from '../backend.js';
import { openFileDatasets } from '../file-datasets/backend.js';
import { defaultCacheDir, fileDatasetCapabilities } from '../file-datasets/defaults.js';
import { defineEngine } from '../engine.js';
import { translateS3Error } from './errors.js';
import { endpointLabel, s3Client } from './s3-source.js';

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

/** Each check of an object's ETag is a round trip: trust a listing for a few seconds. */
const revalidateMs = 5_000;

export const s3Factory: BackendFactory<S3Config> = {
  capabilities: fileDatasetCapabilities,
  describeTarget: (config) => {
    const where = config.bucket ? `s3://${config.bucket}/${config.prefix ?? ''}` : 's3://';
    return config.endpoint ? `${where} at ${config.endpoint}` : `${where} (${config.region})`;
  },
  validate: async (config) => {
    const client = s3Client(config);
    const where = config.bucket
      ? `s3://${config.bucket}/${config.prefix ?? ''}`
      : 'the bucket list';
    try {
      if (config.bucket) {
        await client.send(
          new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix, MaxKeys: 1 }),
        );
      } else {
        await client.send(new ListBucketsCommand({}));
      }
    } catch (error) {
      throw translateS3Error(error, where, endpointLabel(config));
    } finally {
      client.destroy();
    }
  },
  open: async (config) =>
    openFileDatasets(
      { ...config, kind: 's3' },
      { capabilities: fileDatasetCapabilities, cacheDir: defaultCacheDir(), revalidateMs },
    ),
};

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
