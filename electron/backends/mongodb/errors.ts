/**
 * Translates the MongoDB driver's errors into AppErrors that say what to do. The driver wraps
 * socket errors (a server-selection error whose cause, and whose topology's server entries, hold
 * the ECONNREFUSED or ENOTFOUND), so every error reachable from the one thrown is looked at.
 */
import { AppError } from '../../../shared/errors.js';

export interface MongoTarget {
  /** `host:port` list (or the SRV name) as errors should name it. */
  hosts: string;
  user?: string | undefined;
  database?: string | undefined;
}

/** Server error codes (src/mongo/base/error_codes.yml) that mean one thing to the user. */
const authFailed = new Set([18]); // AuthenticationFailed
const unauthorized = new Set([13, 8000]); // Unauthorized, Atlas's "not allowed"
const notFound = new Set([26]); // NamespaceNotFound
const timedOut = new Set([50, 262]); // MaxTimeMSExpired, ExceededTimeLimit
const interrupted = new Set([11601, 43, 237]); // Interrupted, CursorNotFound, CursorKilled
const badQuery = new Set([2, 9, 14, 51091, 51105, 51108]); // BadValue, FailedToParse, TypeMismatch, bad regex
const serverGone = new Set([91, 189, 6, 7, 89, 10107, 11600, 13435, 13436]);

interface Facts {
  numeric: Set<number>;
  system: Set<string>;
  names: Set<string>;
  messages: string[];
}

/** Every error reachable from `error`: causes, and the topology's per-server errors. */
function gather(error: unknown, facts: Facts, depth = 0): void {
  if (depth > 6 || typeof error !== 'object' || error === null) return;
  const e = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
    reason?: { servers?: unknown };
  };
  if (typeof e.code === 'number') facts.numeric.add(e.code);
  if (typeof e.code === 'string') facts.system.add(e.code);
  if (typeof e.name === 'string') facts.names.add(e.name);
  if (typeof e.message === 'string') facts.messages.push(e.message);
  gather(e.cause, facts, depth + 1);
  const servers = e.reason?.servers;
  if (servers instanceof Map) {
    for (const server of servers.values())
      gather((server as { error?: unknown }).error, facts, depth + 1);
  }
}

export function translateMongoError(error: unknown, target: MongoTarget, aborted = false): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const facts: Facts = { numeric: new Set(), system: new Set(), names: new Set(), messages: [] };
  gather(error, facts);
  const text = facts.messages.join(' | ');
  const where = target.hosts;
  const has = (codes: Set<number>) => [...facts.numeric].some((c) => codes.has(c));
  const make = (code: AppError['code'], message: string, hint?: string) =>
    new AppError(code, message, hint, { cause: error });

  if (aborted || facts.names.has('AbortError')) return make('cancelled', 'Cancelled');
  if (has(authFailed) || /authentication failed/i.test(text)) {
    return make(
      'permission-denied',
      `MongoDB at ${where} refused user “${target.user ?? '(none)'}”: ${error.message}`,
      'Check the user name and password (or MONGODB_PASSWORD), and authSource= in the URL: the database the user was created in (usually admin).',
    );
  }
  if (has(unauthorized)) {
    return make('permission-denied', error.message, 'Ask for the read role on this database.');
  }
  if (has(notFound)) return make('not-found', error.message);
  if (has(timedOut)) {
    return make(
      'unavailable',
      `MongoDB at ${where} took too long and the operation was stopped`,
      'Narrow the view with a filter, or try again when the server is less busy.',
    );
  }
  if (has(interrupted)) return make('query-failed', error.message);
  if (has(badQuery)) return make('invalid-input', error.message);
  if (facts.system.has('ENOTFOUND') || facts.system.has('EAI_AGAIN')) {
    const host = /(?:ENOTFOUND|EAI_AGAIN)\s+(?:_mongodb\._tcp\.)?(\S+)/.exec(text)?.[1] ?? where;
    return make(
      'unavailable',
      `Cannot find the host ${host} (for ${where})`,
      'Check the host name; a mongodb+srv:// URL needs the cluster’s DNS name.',
    );
  }
  if (facts.system.has('ECONNREFUSED') || /ECONNREFUSED/.test(text)) {
    return make(
      'unavailable',
      `Nothing accepts connections at ${where}`,
      'Check that MongoDB is running and the host and port are right.',
    );
  }
  if (/ssl|tls|certificate/i.test(text)) {
    return make(
      'unavailable',
      `A TLS connection to ${where} failed: ${error.message}`,
      'Check whether the server expects TLS (tls=true in the URL) and that its certificate is trusted.',
    );
  }
  if (has(serverGone)) {
    return make('unavailable', `MongoDB at ${where} is not available: ${error.message}`);
  }
  if (facts.names.has('MongoServerSelectionError') || facts.names.has('MongoTopologyClosedError')) {
    return make(
      'unavailable',
      `No MongoDB server at ${where} answered in time: ${error.message}`,
      'Check the host, port and network; for one member of a replica set, add directConnection=true to the URL.',
    );
  }
  if (
    facts.names.has('MongoNetworkError') ||
    facts.names.has('MongoNetworkTimeoutError') ||
    facts.names.has('MongoOperationTimeoutError') ||
    facts.system.has('ETIMEDOUT') ||
    facts.system.has('ECONNRESET')
  ) {
    return make(
      'unavailable',
      `The connection to ${where} failed: ${error.message}`,
      'Check the network.',
    );
  }
  if (facts.names.has('MongoParseError') || facts.names.has('MongoInvalidArgumentError')) {
    return make('invalid-input', `The MongoDB URL is not valid: ${error.message}`);
  }
  return make('query-failed', error.message);
}
