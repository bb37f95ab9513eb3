/**
 * The connection failures every server engine must translate: bad credentials, a refused port,
 * an unknown host and a missing database, each attempted through the engine's factory.
 */
import type { ErrorCase } from './conformance.js';

export interface ServerConfig {
  host: string;
  port: number;
  user: string;
  password?: string | undefined;
  database?: string | undefined;
}

export function serverErrorCases<C extends ServerConfig>(
  config: C,
  attempt: (config: C) => Promise<unknown>,
): ErrorCase[] {
  // A user that does not exist is refused under every auth method, even trust.
  const badUser = { ...config, user: 'strata_no_such_user', password: 'wrong-password' };
  const refused = { ...config, host: '127.0.0.1', port: 1 };
  const unknownHost = { ...config, host: 'strata-no-such-host.invalid' };
  const missingDb = { ...config, database: 'strata_no_such_database' };
  return [
    {
      label: 'wrong credentials',
      code: 'permission-denied',
      mentions: 'strata_no_such_user',
      attempt: () => attempt(badUser),
    },
    {
      label: 'refused port',
      code: 'unavailable',
      mentions: '127.0.0.1:1',
      attempt: () => attempt(refused),
    },
    {
      label: 'unknown host',
      code: 'unavailable',
      mentions: 'strata-no-such-host.invalid',
      attempt: () => attempt(unknownHost),
    },
    {
      label: 'missing database',
      code: 'not-found',
      mentions: 'strata_no_such_database',
      attempt: () => attempt(missingDb),
    },
  ];
}
