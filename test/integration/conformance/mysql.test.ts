/** The conformance suite against MySQL/MariaDB (MYSQL_URL or the local server), in a fresh database. */
import { mysqlFactory } from '../../../electron/backends/mysql/mysql-backend.js';
import { createMysqlDatabase, mysqlAvailable } from '../../support/servers.js';
import { runBackendConformance } from './conformance.js';
import { fixtureSql } from './fixture.js';
import { serverErrorCases } from './server-errors.js';

const skip = await mysqlAvailable();

runBackendConformance(
  'MySQL/MariaDB',
  async () => {
    const db = await createMysqlDatabase();
    for (const sql of fixtureSql({
      int: 'INT',
      text: 'TEXT',
      decimal: 'DECIMAL(10,2)',
      bool: 'BOOLEAN',
      date: 'DATE',
    })) {
      await db.exec(sql);
    }
    await db.exec('ANALYZE TABLE people');
    const database = db.config.database!;
    return {
      backend: await mysqlFactory.open(db.config),
      path: [database, 'people'],
      viewPath: [database, 'adults'],
      exactTreeCounts: false,
      errorCases: serverErrorCases(db.config, (config) =>
        mysqlFactory.validate(config, { readOnly: true }),
      ),
      teardown: () => db.drop(),
    };
  },
  skip,
);
