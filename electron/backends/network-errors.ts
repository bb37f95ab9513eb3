/**
 * The socket-level failures every networked engine meets — the host cannot be found, nothing
 * listens, the connection timed out or was reset, TLS does not match — said the same way for each
 * engine, with the engine's own name in the hint. Each engine's errors.ts handles its server's
 * own codes first and then asks here.
 */
import { AppError } from '../../shared/errors.js';

export interface NetworkTarget {
  host: string;
  port: number;
  /** How the hint names the server, e.g. `PostgreSQL`. */
  product: string;
  /** The TLS hint's advice on switching TLS on or off, e.g. `rediss:// or redis://`. */
  tlsSwitch?: string;
}

const tlsProblem = /ssl|tls|certificate|wrong version number/i;

/** An AppError for a network-level failure, or undefined when the error is something else. */
export function translateNetworkError(
  error: Error,
  target: NetworkTarget,
  code: unknown = (error as { code?: unknown }).code,
): AppError | undefined {
  const where = `${target.host}:${target.port}`;
  const make = (message: string, hint: string) =>
    new AppError('unavailable', message, hint, { cause: error });
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(`Cannot find the host ${target.host} (for ${where})`, 'Check the host name.');
    case 'ECONNREFUSED':
      return make(
        `Nothing accepts connections at ${where}`,
        `Check that ${target.product} is running and the host and port are right.`,
      );
    case 'ETIMEDOUT':
      return make(`Connecting to ${where} timed out`, 'Check the host, port and network.');
    case 'ECONNRESET':
    case 'EPIPE':
      return make(`The connection to ${where} was lost: ${error.message}`, 'Try again.');
  }
  if (tlsProblem.test(error.message)) {
    return make(
      `A TLS connection to ${where} failed: ${error.message}`,
      `Check whether the server offers TLS (${target.tlsSwitch ?? 'turn ssl off or on to match'}) and that its certificate is trusted.`,
    );
  }
  return undefined;
}
