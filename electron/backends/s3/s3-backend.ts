/** Opening an S3-compatible bucket: loaded, with the AWS SDK, with the first bucket opened (engine.ts). */
import { ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { BackendFactory } from '../backend.js';
import { openFileDatasets } from '../file-datasets/backend.js';
import { defaultCacheDir, fileDatasetCapabilities } from '../file-datasets/defaults.js';
import { describeS3Target, type S3Config } from './engine.js';
import { translateS3Error } from './errors.js';
import { endpointLabel, s3Client } from './s3-source.js';

/** Each check of an object's ETag is a round trip: trust a listing for a few seconds. */
const revalidateMs = 5_000;

export const s3BackendFactory: BackendFactory<S3Config> = {
  capabilities: fileDatasetCapabilities,
  describeTarget: describeS3Target,
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
