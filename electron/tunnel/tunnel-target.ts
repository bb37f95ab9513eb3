/**
 * Which engine configs can go through a tunnel: any with a `host` and a `port`, whatever the
 * engine. Decided by the config's shape, never its kind, so a new server engine gets tunnels free.
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { TunnelTarget } from './ssh-tunnel.js';

const hostPortSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
});

/** The host and port the SSH server should forward to; throws when the config has none. */
export function tunnelTarget(config: { kind: string }): TunnelTarget {
  const result = hostPortSchema.safeParse(config);
  if (!result.success) {
    throw new AppError(
      'invalid-input',
      `A ${config.kind} connection has no host and port to reach through an SSH tunnel`,
      'Remove the SSH tunnel from this connection.',
    );
  }
  return result.data;
}

/** The same config pointed at the tunnel's local end. */
export function throughTunnel<C extends { kind: string }>(
  config: C,
  local: { localHost: string; localPort: number },
): C {
  return { ...config, host: local.localHost, port: local.localPort };
}
