/** MySQL and MariaDB behind the Backend interface: config, target description, validation, opening. */
import mysql from 'mysql2/promise';
import type { BackendFactory } from '../backend.js';
import { openServerBackend } from '../sql/server-backend.js';
import { translateMysqlError } from './errors.js';
import { connectionOptions, createMysqlEngine } from './mysql-engine.js';
import { mysqlCapabilities as capabilities, describeMysqlTarget } from './engine.js';
import { createMysqlWriter } from './mysql-writer.js';

export interface MysqlConfig {
  kind: 'mysql';
  host: string;
  port: number;
  user: string;
  /** The default database; the tree lists every database the user can see either way. */
  database?: string | undefined;
  ssl?: boolean | undefined;
  /** Only for URLs given on the command line; saved connections will keep theirs in safeStorage. */
  password?: string | undefined;
}

export const mysqlFactory: BackendFactory<MysqlConfig> = {
  capabilities,
  describeTarget: describeMysqlTarget,
  validate: async (config) => {
    let connection: mysql.Connection | undefined;
    try {
      connection = await mysql.createConnection(connectionOptions(config));
      await connection.query('SELECT 1');
    } catch (error) {
      throw translateMysqlError(error, config);
    } finally {
      await connection?.end().catch(() => undefined);
    }
  },
  open: async (config) => {
    const engine = createMysqlEngine(config);
    // Fail at open, with the translated reason, rather than on the first click in the tree.
    try {
      await engine.query('SELECT 1', []);
    } catch (error) {
      await engine.close().catch(() => undefined);
      throw error;
    }
    return openServerBackend(engine, capabilities, createMysqlWriter(config));
  },
};
