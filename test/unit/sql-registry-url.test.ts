/** Connection URLs for the SQL servers, as the CLI accepts them, and their secret-free targets. */
import { describe, expect, it } from 'vitest';
import {
  configFromUrl,
  connectionConfigSchema,
  factoryFor,
} from '../../electron/backends/registry.js';

describe('configFromUrl for SQL servers', () => {
  it('reads user, password, host, port, database and sslmode from a postgres URL', () => {
    const config = configFromUrl(
      'postgresql://ana:s%40cret@db.example:6543/sales?sslmode=require',
      {},
    );
    expect(config).toEqual({
      kind: 'postgres',
      host: 'db.example',
      port: 6543,
      user: 'ana',
      password: 's@cret',
      database: 'sales',
      ssl: true,
    });
    expect(connectionConfigSchema.parse(config)).toEqual(config);
    expect(factoryFor(config!).describeTarget(config!)).toBe(
      'postgres://ana@db.example:6543/sales',
    );
  });

  it('fills defaults and takes the password from PGPASSWORD / MYSQL_PWD when the URL has none', () => {
    expect(configFromUrl('postgres://localhost', { PGPASSWORD: 'pw' })).toEqual({
      kind: 'postgres',
      host: 'localhost',
      port: 5432,
      user: 'postgres',
      password: 'pw',
      database: 'postgres',
    });
    expect(configFromUrl('mariadb://bob@[::1]/shop?sslmode=disable', { MYSQL_PWD: 'pw2' })).toEqual(
      {
        kind: 'mysql',
        host: '::1',
        port: 3306,
        user: 'bob',
        password: 'pw2',
        database: 'shop',
      },
    );
    expect(configFromUrl('mysql://root@127.0.0.1', {})).toEqual({
      kind: 'mysql',
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
    });
  });

  it('never shows a password in the target', () => {
    const config = configFromUrl('mysql://u:topsecret@h:1/d', {})!;
    expect(factoryFor(config).describeTarget(config)).not.toContain('topsecret');
  });

  it('leaves other schemes alone', () => {
    expect(configFromUrl('ftp://localhost/data', {})).toBeUndefined();
    expect(configFromUrl('Demo', {})).toBeUndefined();
  });
});
