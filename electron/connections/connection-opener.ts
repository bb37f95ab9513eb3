/**
 * Opens (or tests) a connection: decrypts its secrets into the engine config in memory, opens
 * its SSH tunnel first when it has one and points the config at the tunnel's local end, then
 * asks the engine's factory. Secrets live only in the config object handed to the engine.
 */
import { z } from 'zod';
import type { ConnectionTestResult } from '../../shared/contract.js';
import { AppError } from '../../shared/errors.js';
import type { SshTunnel } from '../../shared/model.js';
import type { Backend } from '../backends/backend.js';
import { factoryFor, type ConnectionConfig } from '../backends/registry.js';
import { sshAuth } from '../tunnel/ssh-auth.js';
import type { KnownHosts } from '../tunnel/known-hosts.js';
import { resolveSshEndpoint, type SshConfigOptions } from '../tunnel/ssh-config-file.js';
import type { Tunnel } from '../tunnel/ssh-tunnel.js';
import { throughTunnel, tunnelTarget } from '../tunnel/tunnel-target.js';
import { withSecrets } from './connection-config.js';
import type { RevealedSecrets } from './secret-vault.js';

export interface OpenRequest {
  /** The saved config, without secrets. */
  config: ConnectionConfig;
  tunnel?: SshTunnel | undefined;
  secrets: RevealedSecrets;
}

export interface OpenedConnection {
  backend: Backend;
  tunnel?: Tunnel;
}

/** An engine may answer `validate` with its server's version; none has to. */
const validateResultSchema = z.object({ serverVersion: z.string().min(1).max(200) });

export interface OpenerOptions {
  /** Where ~/.ssh/config is read from (tests pass their own). */
  ssh?: SshConfigOptions;
  knownHosts?: KnownHosts;
}

export class ConnectionOpener {
  constructor(private readonly options: OpenerOptions = {}) {}

  async open(request: OpenRequest): Promise<OpenedConnection> {
    return this.through(request, true, async (config) => factoryFor(config).open(config)).then(
      ({ value, tunnel }) => (tunnel ? { backend: value, tunnel } : { backend: value }),
    );
  }

  async test(request: OpenRequest, readOnly: boolean): Promise<ConnectionTestResult> {
    const started = performance.now();
    const { value } = await this.through(request, false, async (config) => {
      const answer: unknown = await factoryFor(config).validate(config, { readOnly });
      return answer;
    });
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const version = validateResultSchema.safeParse(value);
    return version.success
      ? { ok: true, latencyMs, serverVersion: version.data.serverVersion }
      : { ok: true, latencyMs };
  }

  /** Runs `use` on the engine config, through a tunnel if the request has one. */
  private async through<T>(
    request: OpenRequest,
    keepTunnel: boolean,
    use: (config: ConnectionConfig) => Promise<T>,
  ): Promise<{ value: T; tunnel?: Tunnel }> {
    const config = withSecrets(request.config, request.secrets);
    if (!request.tunnel) return { value: await use(config) };
    const target = tunnelTarget(config);
    const endpoint = await resolveSshEndpoint(request.tunnel, this.options.ssh);
    const auth = await sshAuth(endpoint, request.tunnel.privateKeyPath, request.secrets);
    const knownHosts = this.options.knownHosts;
    // ssh2 (with its crypto) loads only for a connection that goes through a tunnel.
    const { openTunnel } = await import('../tunnel/ssh-tunnel.js');
    const tunnel = await openTunnel(endpoint, auth, target, knownHosts ? { knownHosts } : {});
    try {
      const value = await use(throughTunnel(config, tunnel));
      if (!keepTunnel) await tunnel.close();
      return keepTunnel ? { value, tunnel } : { value };
    } catch (error) {
      await tunnel.close();
      // The engine only saw its socket close; the SSH server said why.
      const refused = tunnel.lastForwardError();
      if (refused) throw refused;
      throw relocate(
        error,
        `127.0.0.1:${tunnel.localPort}`,
        `${target.host}:${target.port} (via SSH ${tunnel.via})`,
      );
    }
  }
}

/** An engine's message names the tunnel's local end; name the real target instead. */
function relocate(error: unknown, local: string, real: string): unknown {
  if (!(error instanceof AppError) || !error.message.includes(local)) return error;
  return new AppError(error.code, error.message.split(local).join(real), error.hint, {
    cause: error,
  });
}
