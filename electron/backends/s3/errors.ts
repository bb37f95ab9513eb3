/** S3 failures as AppErrors that say which bucket or endpoint, and what to do. */
import { AppError } from '../../../shared/errors.js';

interface S3ErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** `where` names what was asked for (`s3://bucket/key`); `endpoint` where it was asked. */
export function translateS3Error(error: unknown, where: string, endpoint: string): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const e = error as Error & S3ErrorShape;
  const name = e.name ?? '';
  const code = e.code ?? e.Code ?? (e.cause as { code?: string } | undefined)?.code ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'AbortError' || code === 'ABORT_ERR') {
    return new AppError('cancelled', 'Cancelled', undefined, { cause: error });
  }
  if (name === 'NoSuchBucket') {
    return new AppError(
      'not-found',
      `No bucket ${bucketOf(where)} at ${endpoint}`,
      'Check the bucket name and the region.',
      { cause: error },
    );
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new AppError('not-found', `Nothing at ${where}`, undefined, { cause: error });
  }
  if (
    ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden'].includes(name) ||
    status === 403 ||
    status === 401
  ) {
    return new AppError(
      'permission-denied',
      `Access to ${where} was refused (${name || status})`,
      'Check the access key and secret (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), and that they may read this bucket.',
      { cause: error },
    );
  }
  if (networkCodes.has(code) || name === 'TimeoutError' || /timed? ?out/i.test(e.message ?? '')) {
    return new AppError(
      'unavailable',
      `Cannot reach the S3 endpoint ${endpoint} (${code || name})`,
      'Check the endpoint address and that the server is running.',
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError') {
    return new AppError(
      'permission-denied',
      `No credentials for ${endpoint}`,
      'Give an access key and secret, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
      { cause: error },
    );
  }
  return new AppError('query-failed', `${where}: ${e.message || name}`, undefined, {
    cause: error,
  });
}

function bucketOf(where: string): string {
  return where.replace(/^s3:\/\//, '').split('/')[0] ?? where;
}
