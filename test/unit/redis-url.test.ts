/** Redis connection URLs as the CLI accepts them, and targets that never show the password. */
import { describe, expect, it } from 'vitest';
import {
  configFromUrl,
  connectionConfigSchema,
  factoryFor,
} from '../../electron/backends/registry.js';
import { parseRedisPath } from '../../electron/backends/redis/paths.js';

describe('configFromUrl for Redis', () => {
  it('reads user, password, host, port and logical database', () => {
    const config = configFromUrl('redis://ana:s%40cret@cache.example:6380/3', {});
    expect(config).toEqual({
      kind: 'redis',
      host: 'cache.example',
      port: 6380,
      db: 3,
      user: 'ana',
      password: 's@cret',
    });
    expect(connectionConfigSchema.parse(config)).toEqual(config);
    expect(factoryFor(config!).describeTarget(config!)).toBe('redis://ana@cache.example:6380/3');
  });

  it('fills defaults, reads rediss:// as TLS and takes the password from REDISCLI_AUTH', () => {
    expect(configFromUrl('rediss://cache.example', { REDISCLI_AUTH: 'pw' })).toEqual({
      kind: 'redis',
      host: 'cache.example',
      port: 6379,
      db: 0,
      password: 'pw',
      tls: true,
    });
    expect(configFromUrl('redis://:only-a-password@[::1]:7000', {})).toEqual({
      kind: 'redis',
      host: '::1',
      port: 7000,
      db: 0,
      password: 'only-a-password',
    });
    expect(configFromUrl('redis://127.0.0.1/not-a-number', {})).toBeUndefined();
    expect(configFromUrl('postgres://127.0.0.1', {})?.kind).toBe('postgres');
  });

  it('never shows a password in the target', () => {
    const config = configFromUrl('rediss://u:topsecret@h:1/2', { REDISCLI_AUTH: 'envsecret' })!;
    const target = factoryFor(config).describeTarget(config);
    expect(target).toBe('rediss://u@h:1/2');
    expect(target).not.toContain('topsecret');
    const fromEnv = configFromUrl('redis://h', { REDISCLI_AUTH: 'envsecret' })!;
    expect(factoryFor(fromEnv).describeTarget(fromEnv)).not.toContain('envsecret');
  });
});

describe('Redis dataset paths', () => {
  it('reads the database, what is looked at, and a name that may hold dots', () => {
    expect(parseRedisPath(['db0', 'keys', 'user:*'])).toEqual({
      db: 0,
      kind: 'keys',
      name: 'user:*',
    });
    expect(parseRedisPath(['db15', 'key', 'a', 'b'])).toEqual({ db: 15, kind: 'key', name: 'a.b' });
    expect(() => parseRedisPath(['db0', 'tables', 'x'])).toThrow(/not a Redis dataset/);
    expect(() => parseRedisPath(['zero', 'keys', '*'])).toThrow(/not a Redis dataset/);
    expect(() => parseRedisPath(['db0', 'keys'])).toThrow(/not a Redis dataset/);
  });
});
