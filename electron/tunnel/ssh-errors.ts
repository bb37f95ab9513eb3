/** Translates ssh2's errors into AppErrors that say what failed and what to do about it. */
import { AppError } from '../../shared/errors.js';
import type { SshAuth } from './ssh-auth.js';
import type { SshEndpoint } from './ssh-config-file.js';

export function translateSshError(error: unknown, endpoint: SshEndpoint, auth: SshAuth): AppError {
  if (error instanceof AppError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const { code, level } = err as Error & { code?: unknown; level?: unknown };
  const where = `${endpoint.host}:${endpoint.port}`;
  const server = `the SSH server ${endpoint.user}@${where}`;
  const make = (appCode: AppError['code'], message: string, hint: string) =>
    new AppError(appCode, message, hint, { cause: err });

  if (level === 'client-authentication') {
    const offered = [
      auth.privateKey ? `the key ${auth.keySource ?? ''}`.trim() : undefined,
      auth.password ? 'a password' : undefined,
      auth.agent ? 'the SSH agent' : undefined,
    ].filter(Boolean);
    return make(
      'permission-denied',
      `${capitalise(server)} refused the login` +
        (offered.length ? ` (offered ${offered.join(', ')})` : ' (no key or password was given)'),
      'Check the SSH user, and the key (its public half must be in authorized_keys on the server) or password.',
    );
  }
  if (/encrypted private .*key.*no passphrase/i.test(err.message)) {
    return make(
      'permission-denied',
      `The SSH key ${auth.keySource ?? ''} is encrypted and no passphrase was given`.replace(
        '  ',
        ' ',
      ),
      'Enter the key’s passphrase in the SSH tunnel settings.',
    );
  }
  if (/cannot parse privatekey|bad passphrase|integrity check|unsupported key/i.test(err.message)) {
    return make(
      'permission-denied',
      `The SSH key ${auth.keySource ?? ''} cannot be used: ${err.message}`,
      'Check the passphrase, and that the file is a private key (not the .pub half).',
    );
  }
  if (level === 'client-timeout' || code === 'ETIMEDOUT') {
    return make(
      'unavailable',
      `Connecting to ${server} timed out`,
      'Check the SSH host and port, and that a firewall lets the connection through.',
    );
  }
  switch (code) {
    case 'ECONNREFUSED':
      return make(
        'unavailable',
        `Nothing accepts SSH connections at ${where}`,
        'Check the SSH host and port, and that sshd is running there.',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(
        'unavailable',
        `Cannot find the SSH host ${endpoint.host}`,
        endpoint.alias === endpoint.host
          ? 'Check the host name, or use a Host alias from ~/.ssh/config.'
          : `Check the HostName of “${endpoint.alias}” in ~/.ssh/config.`,
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return make(
        'unavailable',
        `The connection to ${server} failed: ${err.message}`,
        'Check the network.',
      );
  }
  return make(
    'unavailable',
    `The SSH tunnel through ${where} failed: ${err.message}`,
    'Check the SSH settings.',
  );
}

/** The server's host key is not the one remembered: refuse, as `ssh` does. */
export function hostKeyChanged(endpoint: SshEndpoint, file: string, line: number): AppError {
  return new AppError(
    'permission-denied',
    `The host key of the SSH server ${endpoint.host}:${endpoint.port} has changed since it was first seen (${file}, line ${line})`,
    'If the server was reinstalled or its keys replaced, remove that line and try again; otherwise someone may be intercepting the connection.',
  );
}

/** A forward the SSH server could not open: the store is unreachable from the server's side. */
export function forwardError(
  target: { host: string; port: number },
  via: string,
  reason: string,
): AppError {
  return new AppError(
    'unavailable',
    `Through the SSH tunnel via ${via}, ${target.host}:${target.port} could not be reached (${reason})`,
    'The host and port are seen from the SSH server: use 127.0.0.1 for a store on the SSH server itself, and check that it runs.',
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
