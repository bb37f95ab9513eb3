/**
 * Connection failures through the real driver. A refused port and an unknown host need no server
 * and run everywhere; a wrong password needs one (MONGODB_URL or mongod on PATH).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { mongodbFactory } from '../../../electron/backends/mongodb/mongodb-backend.js';
import type { MongoConfig } from '../../../electron/backends/mongodb/mongodb-backend.js';
import { startMongo, urlAsUser, warnSkipped } from '../../support/mongo.js';

async function failure(config: MongoConfig): Promise<AppError> {
  const started = Date.now();
  const error = await mongodbFactory.validate(config, { readOnly: true }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  // serverSelectionTimeoutMS bounds every wait: nothing hangs for the driver's default 30 s.
  expect(Date.now() - started).toBeLessThan(15_000);
  return error as AppError;
}

describe('MongoDB connection failures without a server', () => {
  it('says nothing accepts connections at a refused host:port', async () => {
    const error = await failure({
      kind: 'mongodb',
      url: 'mongodb://127.0.0.1:1/?directConnection=true',
    });
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe('Nothing accepts connections at 127.0.0.1:1');
    expect(error.hint).toContain('running');
  });

  it('names a host that does not resolve, for plain and SRV URLs', async () => {
    const plain = await failure({ kind: 'mongodb', url: 'mongodb://strata-no-such-host.invalid' });
    expect(plain.code).toBe('unavailable');
    expect(plain.message).toContain('strata-no-such-host.invalid');
    const srv = await failure({
      kind: 'mongodb',
      url: 'mongodb+srv://strata-no-such-host.invalid/db',
    });
    expect(srv.code).toBe('unavailable');
    expect(srv.message).toContain('strata-no-such-host.invalid');
  });

  it('opening fails the same way, before the first click in the tree', async () => {
    const error = await mongodbFactory.open({ kind: 'mongodb', url: 'mongodb://127.0.0.1:1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unavailable');
  });
});

const server = await startMongo();
const skip = typeof server === 'string' ? server : undefined;
warnSkipped('MongoDB wrong-password test', skip);

describe.skipIf(skip !== undefined)('MongoDB connection failures with a server', () => {
  afterAll(async () => {
    if (typeof server !== 'string') await server.stop();
  });

  it('refuses a wrong password as permission-denied, naming the user', async () => {
    if (typeof server === 'string') return;
    const error = await failure({
      kind: 'mongodb',
      url: urlAsUser(server.url, 'strata_no_such_user'),
      password: 'wrong-password',
    });
    expect(error.code).toBe('permission-denied');
    expect(error.message).toContain('strata_no_such_user');
    expect(error.message).not.toContain('wrong-password');
  });
});
