/**
 * The conformance suite against Redis (REDIS_URL or the local server): the fixture loaded as one
 * hash per person under a unique prefix in logical database 9, browsed as the `hashes` dataset.
 * Redis has no views and no server-side sort or filter, so the suite skips those parts by the
 * backend's capabilities; test/integration/redis covers the in-memory sort and filter instead.
 */
import { redisFactory } from '../../../electron/backends/redis/redis-backend.js';
import { redisAvailable, testKeyspace } from '../redis/support.js';
import { runBackendConformance } from './conformance.js';
import { people } from './fixture.js';

const skip = await redisAvailable();
const db = 9;

runBackendConformance(
  'Redis',
  async () => {
    const space = await testKeyspace(db);
    const prefix = `${space.prefix}people:`;
    const pipeline = space.client.pipeline();
    for (const p of people) {
      // A NULL note is a missing field; the empty string is stored as one.
      pipeline.hset(`${prefix}${p.id}`, {
        name: p.name,
        age: String(p.age),
        balance: p.balance,
        active: String(p.active),
        born: p.born,
        ...(p.note === null ? {} : { note: p.note }),
      });
    }
    await pipeline.exec();
    const config = space.config;
    const attempt = (changes: Partial<typeof config>) => () =>
      redisFactory.validate({ ...config, ...changes }, { readOnly: true });
    return {
      backend: await redisFactory.open(config),
      path: [`db${db}`, 'hashes', prefix],
      idColumn: 'key',
      exactTreeCounts: false,
      errorCases: [
        {
          label: 'wrong credentials',
          code: 'permission-denied',
          mentions: 'strata_no_such_user',
          attempt: attempt({ user: 'strata_no_such_user', password: 'wrong-password' }),
        },
        {
          label: 'refused port',
          code: 'unavailable',
          mentions: '127.0.0.1:1',
          attempt: attempt({ host: '127.0.0.1', port: 1 }),
        },
        {
          label: 'unknown host',
          code: 'unavailable',
          mentions: 'strata-no-such-host.invalid',
          attempt: attempt({ host: 'strata-no-such-host.invalid' }),
        },
        {
          label: 'missing logical database',
          code: 'not-found',
          mentions: 'logical database 99999',
          attempt: attempt({ db: 99_999 }),
        },
      ],
      teardown: () => space.cleanup(),
    };
  },
  skip,
);
