/**
 * An S3 server for the tests: s3rver in this process, on a free port, storing into a temporary
 * folder — or the server `S3_ENDPOINT` names (its buckets must then be creatable with the same
 * dummy credentials). Path-style addressing, credentials S3RVER/S3RVER.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { S3Config } from '../../../electron/backends/s3/engine.js';

export interface TestS3 {
  endpoint: string;
  config(bucket?: string, prefix?: string): S3Config;
  createBucket(name: string): Promise<void>;
  put(bucket: string, key: string, body: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3(): Promise<TestS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'strata-s3rver-'));
  let server: S3rver | undefined;
  let endpoint = process.env.S3_ENDPOINT;
  if (!endpoint) {
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
    const address = await server.run();
    endpoint = `http://127.0.0.1:${address.port}`;
  }
  const config = (bucket?: string, prefix?: string): S3Config => ({
    kind: 's3',
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    ...credentials,
    ...(bucket ? { bucket } : {}),
    ...(prefix ? { prefix } : {}),
  });
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  return {
    endpoint,
    config,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    put: async (bucket, key, body) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    close: async () => {
      client.destroy();
      await server?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
