/**
 * An S3-compatible bucket (or every bucket the credentials list) as a FileSource. Keys here start
 * with the bucket — `bucket/folder/file.csv` — so a dataset's path in the tree names its bucket;
 * a configured prefix is added beneath, invisibly. Ranges are GETs with a `Range` header.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { AppError } from '../../../shared/errors.js';
import type { SourceEntry, SourceListing, WritableFileSource } from '../file-datasets/source.js';
import { translateS3Error } from './errors.js';
import { s3Writes } from './s3-writes.js';

export interface S3SourceConfig {
  bucket?: string | undefined;
  prefix?: string | undefined;
  endpoint?: string | undefined;
  region: string;
  forcePathStyle?: boolean | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

export function s3Client(config: S3SourceConfig): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle ?? false,
    ...(config.accessKeyId && config.secretAccessKey
      ? {
          credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
        }
      : {}),
    // Fail fast on a dead endpoint: the UI waits on these calls.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    // Checksums only where S3 requires them: S3-compatible servers often do not compute them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function endpointLabel(config: S3SourceConfig): string {
  return config.endpoint ?? `s3.${config.region}.amazonaws.com`;
}

export function s3Source(config: S3SourceConfig): WritableFileSource {
  const client = s3Client(config);
  const endpoint = endpointLabel(config);
  const base = normalisePrefix(config.prefix);
  const locate = (key: string): { Bucket: string; Key: string } => {
    const slash = key.indexOf('/');
    if (slash <= 0) throw new AppError('invalid-input', `“${key}” names no object in a bucket`);
    if (config.bucket && key.slice(0, slash) !== config.bucket) {
      throw new AppError('not-found', `This connection holds only the bucket ${config.bucket}`);
    }
    return { Bucket: key.slice(0, slash), Key: base + key.slice(slash + 1) };
  };
  const guard = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw translateS3Error(error, `s3://${key}`, endpoint);
    }
  };
  const entryOf = (
    bucket: string,
    key: string,
    size: number,
    modified?: Date,
    etag?: string,
    storageClass?: string,
  ) => {
    const entry: SourceEntry = {
      key: `${bucket}/${key.slice(base.length)}`,
      size,
      version: `${etag ?? ''}:${size}:${modified?.getTime() ?? ''}`,
    };
    if (modified) entry.modified = modified.getTime();
    if (etag) entry.etag = etag.replace(/^"|"$/g, '');
    if (storageClass) entry.storageClass = storageClass;
    return entry;
  };
  async function* pages(Bucket: string, Prefix: string, Delimiter?: string, signal?: AbortSignal) {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(
        new ListObjectsV2Command({ Bucket, Prefix, Delimiter, ContinuationToken: token }),
        { abortSignal: signal },
      );
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  const source: WritableFileSource = {
    ...s3Writes(client, locate, guard, (prefix, signal) => source.walk(prefix, signal)),
    label: config.bucket ? `s3://${config.bucket}/${base}` : `s3 at ${endpoint}`,
    identity: `s3:${endpoint}`,
    describeKey: (key) => {
      const { Bucket, Key } = locate(key.includes('/') ? key : `${key}/`);
      return `s3://${Bucket}/${Key}`;
    },
    async list(prefix, signal) {
      if (prefix === '') {
        if (config.bucket) return { folders: [`${config.bucket}/`], files: [] };
        const out = await guard('', () =>
          client.send(new ListBucketsCommand({}), { abortSignal: signal }),
        );
        return { folders: (out.Buckets ?? []).map((b) => `${b.Name}/`).sort(), files: [] };
      }
      const { Bucket, Key } = locate(prefix);
      const listing: SourceListing = { folders: [], files: [] };
      await guard(prefix, async () => {
        for await (const page of pages(Bucket, Key, '/', signal)) {
          for (const p of page.CommonPrefixes ?? []) {
            if (p.Prefix) listing.folders.push(`${Bucket}/${p.Prefix.slice(base.length)}`);
          }
          for (const o of page.Contents ?? []) {
            // A zero-byte "folder marker" object, as consoles create, is not a file.
            if (!o.Key || o.Key.endsWith('/')) continue;
            listing.files.push(
              entryOf(Bucket, o.Key, o.Size ?? 0, o.LastModified, o.ETag, o.StorageClass),
            );
          }
        }
      });
      return listing;
    },
    async walk(prefix, signal) {
      const { Bucket, Key } = locate(prefix);
      const files: SourceEntry[] = [];
      await guard(prefix, async () => {
        for await (const page of pages(Bucket, Key, undefined, signal)) {
          for (const o of page.Contents ?? []) {
            if (o.Key && !o.Key.endsWith('/')) {
              files.push(
                entryOf(Bucket, o.Key, o.Size ?? 0, o.LastModified, o.ETag, o.StorageClass),
              );
            }
          }
        }
      });
      return files;
    },
    async stat(key, signal) {
      const target = locate(key);
      try {
        const head = await client.send(new HeadObjectCommand(target), { abortSignal: signal });
        const entry = entryOf(
          target.Bucket,
          target.Key,
          head.ContentLength ?? 0,
          head.LastModified,
          head.ETag,
        );
        if (head.ContentType) entry.contentType = head.ContentType;
        return entry;
      } catch (error) {
        const translated = translateS3Error(error, `s3://${key}`, endpoint);
        if (translated instanceof AppError && translated.code === 'not-found') {
          // A missing object is an answer; a missing bucket is an error worth showing.
          if ((error as { name?: string }).name !== 'NoSuchBucket') return undefined;
        }
        throw translated;
      }
    },
    async readRange(key, start, end, signal) {
      if (end <= start) return new Uint8Array(0);
      return guard(key, async () => {
        const out = await client.send(
          new GetObjectCommand({ ...locate(key), Range: `bytes=${start}-${end - 1}` }),
          { abortSignal: signal },
        );
        return out.Body ? out.Body.transformToByteArray() : new Uint8Array(0);
      });
    },
    async *stream(key, start = 0, signal) {
      const abort = new AbortController();
      const onAbort = () => abort.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let body: Readable | undefined;
      try {
        const out = await guard(key, () =>
          client.send(
            new GetObjectCommand({
              ...locate(key),
              ...(start > 0 ? { Range: `bytes=${start}-` } : {}),
            }),
            { abortSignal: abort.signal },
          ),
        );
        body = out.Body as Readable | undefined;
        if (!body) return;
        try {
          for await (const chunk of body) yield chunk as Uint8Array;
        } catch (error) {
          throw translateS3Error(error, `s3://${key}`, endpoint);
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
        // Stopping early (a first page) must not download the rest of the object.
        body?.destroy();
        abort.abort();
      }
    },
    close: () => client.destroy(),
  };
  return source;
}

function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}
