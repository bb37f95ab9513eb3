/**
 * The conformance suite against MongoDB (MONGODB_URL, or a mongod on PATH), the fixture inserted
 * as the collection `people` (out of id order) with the view `adults` over it, in a fresh database.
 */
import { BSON } from 'mongodb';
import type { Backend } from '../../../electron/backends/backend.js';
import { mongodbFactory } from '../../../electron/backends/mongodb/mongodb-backend.js';
import type { ViewSpec } from '../../../shared/model.js';
import { createMongoDatabase, startMongo, urlAsUser } from '../../support/mongo.js';
import { runBackendConformance } from './conformance.js';
import { adultsMinAge, people, type Person } from './fixture.js';

const server = await startMongo();
const skip = typeof server === 'string' ? server : undefined;

/** A person as a document: decimals as Decimal128, days as Dates at midnight UTC. */
function personDocument(p: Person): BSON.Document {
  return {
    _id: p.id,
    name: p.name,
    age: p.age,
    balance: BSON.Decimal128.fromString(p.balance),
    active: p.active,
    born: new Date(`${p.born}T00:00:00Z`),
    note: p.note,
  };
}

/**
 * The suite names the fixture's key `id`; a MongoDB document's key is always `_id`. This shows
 * `_id` under the suite's name and changes nothing else: every call reaches the real backend.
 */
function keyNamedId(backend: Backend): Backend {
  const toMongo = (name: string) => (name === 'id' ? '_id' : name);
  const fromMongo = (name: string) => (name === '_id' ? 'id' : name);
  const view = (v: ViewSpec): ViewSpec => ({
    sort: v.sort.map((s) => ({ ...s, column: toMongo(s.column) })),
    filters: v.filters.map((f) => ({ ...f, column: toMongo(f.column) })),
  });
  return {
    capabilities: backend.capabilities,
    tree: (options) => backend.tree(options),
    describe: async (path, options) => {
      const schema = await backend.describe(path, options);
      return {
        ...schema,
        columns: schema.columns.map((c) => ({ ...c, name: fromMongo(c.name) })),
        key: schema.key.map(fromMongo),
      };
    },
    page: (path, v, offset, limit, options) => backend.page(path, view(v), offset, limit, options),
    count: (path, v, options) => backend.count(path, view(v), options),
    cell: async (path, v, row, column, options) => {
      const detail = await backend.cell(path, view(v), row, toMongo(column), options);
      return { ...detail, column: fromMongo(detail.column) };
    },
    close: () => backend.close(),
  };
}

runBackendConformance(
  'MongoDB',
  async () => {
    if (typeof server === 'string') throw new Error(server);
    const db = await createMongoDatabase(server);
    await db.db.collection('people').insertMany(people.map(personDocument).reverse());
    await db.db.createCollection('adults', {
      viewOn: 'people',
      pipeline: [{ $match: { age: { $gte: adultsMinAge } } }, { $project: { name: 1, age: 1 } }],
    });
    const config = db.config;
    const validate = (c: typeof config) => mongodbFactory.validate(c, { readOnly: true });
    return {
      backend: keyNamedId(await mongodbFactory.open(config)),
      path: [db.name, 'people'],
      viewPath: [db.name, 'adults'],
      exactTreeCounts: false,
      errorCases: [
        {
          label: 'wrong credentials',
          code: 'permission-denied',
          mentions: 'strata_no_such_user',
          attempt: () =>
            validate({
              ...config,
              url: urlAsUser(config.url, 'strata_no_such_user'),
              password: 'wrong-password',
            }),
        },
        {
          label: 'refused port',
          code: 'unavailable',
          mentions: '127.0.0.1:1',
          attempt: () => validate({ kind: 'mongodb', url: 'mongodb://127.0.0.1:1' }),
        },
        {
          label: 'unknown host',
          code: 'unavailable',
          mentions: 'strata-no-such-host.invalid',
          attempt: () =>
            validate({ kind: 'mongodb', url: 'mongodb://strata-no-such-host.invalid' }),
        },
        {
          label: 'missing database',
          code: 'not-found',
          mentions: 'strata_no_such_database',
          attempt: () => validate({ ...config, database: 'strata_no_such_database' }),
        },
      ],
      teardown: async () => {
        await db.drop();
        await server.stop();
      },
    };
  },
  skip,
);
