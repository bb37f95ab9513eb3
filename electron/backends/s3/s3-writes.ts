/**
 * The write side of a bucket (see WritableFileSource). Each object is written by one PUT, which
 * S3 makes visible all at once; parts are at most ~64 MB before compression, so no multipart
 * upload is needed (and none can be left incomplete by a crash). A move is a server-side copy;
 * the original goes when its temporary folder is removed, by one batched delete.
 */
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AppError } from '../../../shared/errors.js';
import type { FileSource, WritableFileSource } from '../file-datasets/source.js';

type S3Writes = Pick<WritableFileSource, 'put' | 'moveInto' | 'remove' | 'removeFolder' | 'rootOf'>;

/** DeleteObjects takes at most this many keys. */
const deleteBatch = 1_000;

export function s3Writes(
  client: S3Client,
  locate: (key: string) => { Bucket: string; Key: string },
  guard: <T>(key: string, work: () => Promise<T>) => Promise<T>,
  walk: FileSource['walk'],
): S3Writes {
  const writes: S3Writes = {
    rootOf: (key) => `${key.includes('/') ? key.slice(0, key.indexOf('/')) : key}/`,
    put: (key, bytes, signal) =>
      guard(key, async () => {
        await client.send(
          new PutObjectCommand({ ...locate(key), Body: bytes, ContentLength: bytes.byteLength }),
          { abortSignal: signal },
        );
      }),
    moveInto: (from, to, signal) =>
      guard(to, async () => {
        const source = locate(from);
        const target = locate(to);
        // CopySource is `bucket/key`, URL-encoded except for the slashes between segments.
        const encoded = source.Key.split('/').map(encodeURIComponent).join('/');
        await client.send(
          new CopyObjectCommand({ ...target, CopySource: `${source.Bucket}/${encoded}` }),
          { abortSignal: signal },
        );
      }),
    async remove(keys, signal) {
      const byBucket = new Map<string, string[]>();
      for (const key of keys) {
        const { Bucket, Key } = locate(key);
        let list = byBucket.get(Bucket);
        if (!list) byBucket.set(Bucket, (list = []));
        list.push(Key);
      }
      for (const [Bucket, list] of byBucket) {
        for (let i = 0; i < list.length; i += deleteBatch) {
          const Objects = list.slice(i, i + deleteBatch).map((Key) => ({ Key }));
          const out = await guard(`${Bucket}/${Objects[0]!.Key}`, () =>
            client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects, Quiet: true } }), {
              abortSignal: signal,
            }),
          );
          const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
          if (failed.length > 0) {
            const first = failed[0]!;
            throw new AppError(
              'query-failed',
              `Could not delete s3://${Bucket}/${first.Key ?? ''} (${first.Code ?? 'error'}: ${first.Message ?? ''}) and ${failed.length - 1} more`,
              'Check that the credentials may delete objects in this bucket.',
            );
          }
        }
      }
    },
    async removeFolder(prefix, signal) {
      if (!prefix.endsWith('/') || prefix.indexOf('/') === prefix.length - 1) {
        // A whole bucket is never removed this way.
        throw new AppError('internal', `Refusing to remove “${prefix}”`);
      }
      const files = await walk(prefix, signal);
      await writes.remove(
        files.map((f) => f.key),
        signal,
      );
    },
  };
  return writes;
}
