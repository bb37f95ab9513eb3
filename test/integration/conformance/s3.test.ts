/**
 * The conformance suite against an S3 bucket (s3rver in-process, or S3_ENDPOINT): the fixture as
 * `s3://BUCKET/people.csv`, the view beside it, plus the bucket's connection failures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { s3Factory } from '../../../electron/backends/s3/engine.js';
import { adultsView, peopleCsv } from '../files/write-fixtures.js';
import { startS3 } from '../s3/s3-server.js';
import { runBackendConformance } from './conformance.js';

runBackendConformance('S3 bucket (CSV)', async () => {
  const s3 = await startS3();
  const cache = await mkdtemp(path.join(os.tmpdir(), 'strata-s3-cache-'));
  process.env.STRATA_CACHE_DIR = cache;
  const bucket = `people-${Date.now()}`;
  await s3.createBucket(bucket);
  await s3.put(bucket, 'people.csv', peopleCsv());
  await s3.put(bucket, 'adults.view.json', adultsView());
  const validate = (config: ReturnType<typeof s3.config>) =>
    s3Factory.validate(config, { readOnly: true });
  return {
    backend: await s3Factory.open(s3.config(bucket)),
    path: [bucket, 'people.csv'],
    viewPath: [bucket, 'adults.view.json'],
    exactTreeCounts: true,
    errorCases: [
      {
        label: 'missing bucket',
        code: 'not-found',
        mentions: 'strata-no-such-bucket',
        attempt: () => validate(s3.config('strata-no-such-bucket')),
      },
      {
        label: 'bad credentials',
        code: 'permission-denied',
        attempt: () =>
          validate({ ...s3.config(bucket), accessKeyId: 'WRONG', secretAccessKey: 'WRONG' }),
      },
      {
        label: 'refused endpoint',
        code: 'unavailable',
        mentions: '127.0.0.1:1',
        attempt: () => validate({ ...s3.config(bucket), endpoint: 'http://127.0.0.1:1' }),
      },
    ],
    teardown: async () => {
      await s3.close();
      await rm(cache, { recursive: true, force: true });
    },
  };
});
