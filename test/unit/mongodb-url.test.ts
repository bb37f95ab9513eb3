/** MongoDB connection strings: parsing, the password kept apart, and secret-free targets. */
import { describe, expect, it } from 'vitest';
import {
  configFromUrl,
  connectionConfigSchema,
  factoryFor,
} from '../../electron/backends/registry.js';
import {
  connectionString,
  describeMongoUrl,
  hostsOf,
  parseMongoUrl,
  userOf,
} from '../../electron/backends/mongodb/url.js';

describe('parseMongoUrl', () => {
  it('splits user, password, several hosts, database and options', () => {
    expect(
      parseMongoUrl('mongodb://ana:s%40c%2Fret@h1:27018,h2/sales?replicaSet=rs0&authSource=admin'),
    ).toEqual({
      scheme: 'mongodb',
      user: 'ana',
      password: 's@c/ret',
      hosts: 'h1:27018,h2',
      database: 'sales',
      rest: '/sales?replicaSet=rs0&authSource=admin',
    });
  });

  it('reads SRV URLs, URLs without user or database, and IPv6 hosts', () => {
    expect(parseMongoUrl('mongodb+srv://bob@cluster0.example.net/')).toMatchObject({
      scheme: 'mongodb+srv',
      user: 'bob',
      password: undefined,
      hosts: 'cluster0.example.net',
      database: undefined,
    });
    expect(parseMongoUrl('mongodb://localhost')).toMatchObject({
      user: '',
      hosts: 'localhost',
      rest: '',
    });
    expect(parseMongoUrl('mongodb://[::1]:27017/?directConnection=true')).toMatchObject({
      hosts: '[::1]:27017',
      database: undefined,
    });
  });

  it('refuses other schemes and URLs without a host', () => {
    expect(parseMongoUrl('postgres://u@h/db')).toBeUndefined();
    expect(parseMongoUrl('mongodb://')).toBeUndefined();
    expect(parseMongoUrl('mongodb:/h')).toBeUndefined();
    expect(parseMongoUrl('not a url')).toBeUndefined();
  });
});

describe('connection strings and targets', () => {
  it('puts the password back, percent-encoded, only when the URL names a user', () => {
    expect(connectionString('mongodb://ana@h1,h2/db?tls=true', 'p@ss:/w')).toBe(
      'mongodb://ana:p%40ss%3A%2Fw@h1,h2/db?tls=true',
    );
    expect(connectionString('mongodb://h/db', 'pw')).toBe('mongodb://h/db');
    expect(connectionString('mongodb://ana@h/db', undefined)).toBe('mongodb://ana@h/db');
  });

  it('names hosts with their default port, the SRV name alone, and the decoded user', () => {
    expect(hostsOf('mongodb://h1,h2:27018/x')).toBe('h1:27017,h2:27018');
    expect(hostsOf('mongodb+srv://c.example.net/x')).toBe('c.example.net');
    expect(userOf('mongodb://d%C3%A9v@h')).toBe('dév');
    expect(userOf('mongodb://h')).toBeUndefined();
  });

  it('describes a target without password or options (they may hold secrets)', () => {
    expect(
      describeMongoUrl(
        'mongodb://ana:pw@h:1/sales?authMechanismProperties=AWS_SESSION_TOKEN:secret',
        undefined,
      ),
    ).toBe('mongodb://ana@h:1/sales');
    expect(describeMongoUrl('mongodb+srv://c.example.net', 'shop')).toBe(
      'mongodb+srv://c.example.net/shop',
    );
  });
});

describe('configFromUrl for MongoDB', () => {
  it('keeps the URL without its password, the password apart and the database', () => {
    const config = configFromUrl(
      'mongodb://ana:s%40cret@db.example:27018/sales?authSource=admin',
      {},
    );
    expect(config).toEqual({
      kind: 'mongodb',
      url: 'mongodb://ana@db.example:27018/sales?authSource=admin',
      password: 's@cret',
      database: 'sales',
    });
    expect(connectionConfigSchema.parse(config)).toEqual(config);
    const target = factoryFor(config!).describeTarget(config!);
    expect(target).toBe('mongodb://ana@db.example:27018/sales');
    expect(target).not.toContain('s@cret');
  });

  it('takes the password from MONGODB_PASSWORD only when the URL names a user', () => {
    expect(configFromUrl('mongodb+srv://bob@c.example.net', { MONGODB_PASSWORD: 'pw' })).toEqual({
      kind: 'mongodb',
      url: 'mongodb+srv://bob@c.example.net',
      password: 'pw',
    });
    expect(configFromUrl('mongodb://127.0.0.1', { MONGODB_PASSWORD: 'pw' })).toEqual({
      kind: 'mongodb',
      url: 'mongodb://127.0.0.1',
    });
  });

  it('rejects a saved config whose URL still holds a password', () => {
    const result = connectionConfigSchema.safeParse({
      kind: 'mongodb',
      url: 'mongodb://u:pw@h',
    });
    expect(result.success).toBe(false);
    expect(connectionConfigSchema.safeParse({ kind: 'mongodb', url: 'http://h' }).success).toBe(
      false,
    );
  });
});
