/** S3 failures become AppErrors by what to do about them, whatever the server's exact words. */
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../shared/errors.js';
import { translateS3Error } from '../../electron/backends/s3/errors.js';

function s3Error(name: string, status?: number, code?: string): Error {
  const error = new Error(`${name} happened`) as Error & Record<string, unknown>;
  error.name = name;
  if (status) error.$metadata = { httpStatusCode: status };
  if (code) error.code = code;
  return error;
}

const translate = (error: Error) =>
  translateS3Error(error, 's3://lake/a.csv', 'http://minio:9000') as AppError;

describe('translateS3Error', () => {
  it('maps missing buckets and keys to not-found, naming the bucket and endpoint', () => {
    const bucket = translate(s3Error('NoSuchBucket', 404));
    expect(bucket).toMatchObject({ code: 'not-found' });
    expect(bucket.message).toBe('No bucket lake at http://minio:9000');
    expect(translate(s3Error('NoSuchKey', 404)).code).toBe('not-found');
  });

  it('maps refused credentials to permission-denied with a hint', () => {
    for (const name of ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied']) {
      const error = translate(s3Error(name, 403));
      expect(error.code).toBe('permission-denied');
      expect(error.message).toContain(name);
      expect(error.hint).toMatch(/AWS_ACCESS_KEY_ID/);
    }
    expect(translate(s3Error('UnknownError', 403)).code).toBe('permission-denied');
  });

  it('maps network failures and timeouts to unavailable, naming the endpoint', () => {
    for (const error of [
      s3Error('Error', undefined, 'ECONNREFUSED'),
      s3Error('Error', undefined, 'ENOTFOUND'),
      s3Error('TimeoutError'),
    ]) {
      const translated = translate(error);
      expect(translated.code).toBe('unavailable');
      expect(translated.message).toContain('http://minio:9000');
    }
  });

  it('maps aborts to cancelled and anything else to query-failed', () => {
    expect(translate(s3Error('AbortError')).code).toBe('cancelled');
    expect(translate(s3Error('InternalError', 500)).code).toBe('query-failed');
  });
});
