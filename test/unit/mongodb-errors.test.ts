/** The driver's errors, shaped as the driver throws them, translated into AppErrors. */
import {
  MongoNetworkError,
  MongoParseError,
  MongoServerError,
  MongoServerSelectionError,
  type TopologyDescription,
} from 'mongodb';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { translateMongoError } from '../../electron/backends/mongodb/errors.js';

const target = { hosts: 'db.example:27017', user: 'ana', database: 'shop' };

function translated(error: unknown, aborted = false): AppError {
  const result = translateMongoError(error, target, aborted);
  expect(result).toBeInstanceOf(AppError);
  return result as AppError;
}

/** A server-selection failure as the driver builds it: the socket error sits in the topology. */
function selectionError(message: string, code: string): MongoServerSelectionError {
  const socket = Object.assign(new Error(message), { code });
  const network = new MongoNetworkError(message, { cause: socket });
  const topology = {
    servers: new Map([['db.example:27017', { error: network }]]),
  } as unknown as TopologyDescription;
  return new MongoServerSelectionError(message, topology);
}

const server = (code: number, codeName: string, errmsg: string) =>
  new MongoServerError({ code, codeName, errmsg });

describe('translateMongoError', () => {
  it('turns a failed login (code 18) into permission-denied naming the user', () => {
    const error = translated(server(18, 'AuthenticationFailed', 'Authentication failed.'));
    expect(error.code).toBe('permission-denied');
    expect(error.message).toBe(
      'MongoDB at db.example:27017 refused user “ana”: Authentication failed.',
    );
    expect(error.hint).toContain('authSource');
    expect(error.cause).toBeInstanceOf(MongoServerError);
  });

  it('turns missing rights into permission-denied and a missing namespace into not-found', () => {
    expect(translated(server(13, 'Unauthorized', 'not authorized on shop')).code).toBe(
      'permission-denied',
    );
    expect(translated(server(26, 'NamespaceNotFound', 'ns not found')).code).toBe('not-found');
  });

  it('names host:port when nothing listens there', () => {
    const error = translated(selectionError('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'));
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe('Nothing accepts connections at db.example:27017');
  });

  it('names the host that does not resolve, for plain and SRV URLs', () => {
    const plain = translated(selectionError('getaddrinfo ENOTFOUND nohost.invalid', 'ENOTFOUND'));
    expect(plain.code).toBe('unavailable');
    expect(plain.message).toBe('Cannot find the host nohost.invalid (for db.example:27017)');
    // The SRV lookup fails in the DNS resolver, before the driver wraps anything.
    const srv = Object.assign(new Error('querySrv ENOTFOUND _mongodb._tcp.c.invalid'), {
      code: 'ENOTFOUND',
    });
    expect(translated(srv).message).toBe('Cannot find the host c.invalid (for db.example:27017)');
  });

  it('says a server that never answered in time is unavailable, with what to try', () => {
    const error = translated(
      new MongoServerSelectionError('Server selection timed out after 5000 ms', {
        servers: new Map(),
      } as unknown as TopologyDescription),
    );
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('db.example:27017');
    expect(error.hint).toContain('directConnection=true');
  });

  it('reports server-side time limits, cancellation and bad queries as such', () => {
    expect(translated(server(50, 'MaxTimeMSExpired', 'operation exceeded time limit')).code).toBe(
      'unavailable',
    );
    expect(translated(server(11601, 'Interrupted', 'interrupted'), true).code).toBe('cancelled');
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(translated(abort).code).toBe('cancelled');
    expect(translated(server(2, 'BadValue', '$regex has to be a string')).code).toBe(
      'invalid-input',
    );
  });

  it('reports TLS trouble, dropped connections, bad URLs and anything else', () => {
    expect(
      translated(new MongoNetworkError('self-signed certificate in certificate chain')).message,
    ).toContain('TLS');
    expect(translated(new MongoNetworkError('connection 3 to 1.2.3.4:27017 closed')).code).toBe(
      'unavailable',
    );
    expect(translated(new MongoParseError('Invalid scheme')).code).toBe('invalid-input');
    const other = translated(server(12345, 'Whatever', 'something odd'));
    expect(other).toMatchObject({ code: 'query-failed', message: 'something odd' });
  });

  it('passes AppErrors and non-errors through untouched', () => {
    const app = new AppError('not-found', 'x');
    expect(translateMongoError(app, target)).toBe(app);
    expect(translateMongoError('text', target)).toBe('text');
  });
});
