/** The conformance suite against PostgreSQL (POSTGRES_URL or the local server), in a fresh database. */
import { postgresFactory } from '../../../electron/backends/postgres/postgres-backend.js';
import { createPostgresDatabase, postgresAvailable } from '../../support/servers.js';
import { runBackendConformance } from './conformance.js';
import { fixtureSql } from './fixture.js';
import { serverErrorCases } from './server-errors.js';

const skip = await postgresAvailable();

runBackendConformance(
  'PostgreSQL',
  async () => {
    const db = await createPostgresDatabase();
    for (const sql of fixtureSql({
      int: 'integer',
      text: 'text',
      decimal: 'numeric(10,2)',
      bool: 'boolean',
      date: 'date',
    })) {
      await db.exec(sql);
    }
    // Gives the planner's estimate (pg_class.reltuples) a value for the tree to show.
    await db.exec('ANALYZE people');
    return {
      backend: await postgresFactory.open(db.config),
      path: ['public', 'people'],
      viewPath: ['public', 'adults'],
      exactTreeCounts: false,
      errorCases: serverErrorCases(db.config, (config) =>
        postgresFactory.validate(config, { readOnly: true }),
      ),
      teardown: () => db.drop(),
    };
  },
  skip,
);
