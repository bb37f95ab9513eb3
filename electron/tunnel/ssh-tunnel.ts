/**
 * A local port forward through an SSH server, like `ssh -L 127.0.0.1:0:HOST:PORT`: a listener on
 * an ephemeral loopback port whose connections are carried over one SSH connection to HOST:PORT
 * as the SSH server sees it. The engine is then opened against the local end, unaware of SSH.
 *
 * The server's host key is checked by known-hosts.ts (accept-new, refuse a changed key) when a
 * KnownHosts is given. Every ssh2 event that can fail has a listener: a dropped SSH server marks
 * the tunnel closed and never throws into the process.
 */
import net from 'node:net';
import { Client, type ConnectConfig } from 'ssh2';
import type { SshAuth } from './ssh-auth.js';
import type { SshEndpoint } from './ssh-config-file.js';
import { forwardError, hostKeyChanged, translateSshError } from './ssh-errors.js';
import type { KnownHosts } from './known-hosts.js';
import type { AppError } from '../../shared/errors.js';

export interface TunnelTarget {
  host: string;
  port: number;
}

export interface Tunnel {
  readonly localHost: string;
  readonly localPort: number;
  /** Where it goes through, for messages: `user@host:port`. */
  readonly via: string;
  /** False once the SSH connection has ended, for whatever reason. */
  isOpen(): boolean;
  /** The last forward the SSH server refused, if any: why the engine saw its socket close. */
  lastForwardError(): AppError | undefined;
  onClose(listener: () => void): void;
  close(): Promise<void>;
}

export interface TunnelOptions {
  readyTimeoutMs?: number;
  /** Checks the server's host key; without it any key is accepted (tests of other things). */
  knownHosts?: KnownHosts;
}

export async function openTunnel(
  endpoint: SshEndpoint,
  auth: SshAuth,
  target: TunnelTarget,
  options: TunnelOptions = {},
): Promise<Tunnel> {
  const client = await connect(endpoint, auth, options);
  const via = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
  const sockets = new Set<net.Socket>();
  const closeListeners: Array<() => void> = [];
  let open = true;
  let forwardFailure: AppError | undefined;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (!open) return socket.destroy();
    client.forwardOut(
      '127.0.0.1',
      socket.remotePort ?? 0,
      target.host,
      target.port,
      (error, stream) => {
        if (error) {
          forwardFailure = forwardError(target, via, error.message.replace(/^\(SSH\) /, ''));
          return socket.destroy();
        }
        forwardFailure = undefined;
        stream.on('error', () => socket.destroy());
        stream.on('close', () => socket.destroy());
        socket.on('close', () => stream.destroy());
        socket.pipe(stream).pipe(socket);
      },
    );
  });
  server.on('error', () => undefined);

  const ended = () => {
    if (!open) return;
    open = false;
    server.close();
    for (const socket of sockets) socket.destroy();
    for (const listener of closeListeners.splice(0)) listener();
  };
  // After `ready`, errors still arrive (a reset, a failed keepalive); they end the tunnel.
  client.on('error', ended);
  client.on('close', ended);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  }).catch((error: unknown) => {
    client.end();
    throw error;
  });
  const address = server.address();
  const localPort = typeof address === 'object' && address ? address.port : 0;

  return {
    localHost: '127.0.0.1',
    localPort,
    via,
    isOpen: () => open,
    lastForwardError: () => forwardFailure,
    onClose: (listener) => (open ? closeListeners.push(listener) : listener()),
    close: async () => {
      closeListeners.length = 0;
      ended();
      client.end();
    },
  };
}

function connect(endpoint: SshEndpoint, auth: SshAuth, options: TunnelOptions): Promise<Client> {
  const client = new Client();
  let hostKeyProblem: AppError | undefined;
  const knownHosts = options.knownHosts;
  const hostVerifier = (key: Buffer, verify: (valid: boolean) => void) => {
    if (!knownHosts) return verify(true);
    const { host, port } = endpoint;
    knownHosts
      .check(host, port, key)
      .then(async (verdict) => {
        if (verdict.state === 'changed') {
          hostKeyProblem = hostKeyChanged(endpoint, verdict.file, verdict.line);
          return verify(false);
        }
        if (verdict.state === 'new') await knownHosts.remember(host, port, key);
        verify(true);
      })
      .catch(() => verify(false));
  };
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    readyTimeout: options.readyTimeoutMs ?? 10_000,
    // Notice a silently dead server within a minute instead of hanging every query on it.
    keepaliveInterval: 15_000,
    keepaliveCountMax: 3,
    ...(auth.password ? { password: auth.password } : {}),
    ...(auth.privateKey ? { privateKey: auth.privateKey } : {}),
    ...(auth.passphrase ? { passphrase: auth.passphrase } : {}),
    ...(auth.agent ? { agent: auth.agent } : {}),
    hostVerifier,
  };
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      client.removeAllListeners('ready');
      client.on('error', () => undefined);
      client.end();
      reject(hostKeyProblem ?? translateSshError(error, endpoint, auth));
    };
    const closedEarly = () => fail(new Error('The SSH server closed the connection'));
    client.once('ready', () => {
      client.removeListener('error', fail);
      client.removeListener('close', closedEarly);
      resolve(client);
    });
    client.once('error', fail);
    client.once('close', closedEarly);
    try {
      // ssh2 throws synchronously for an unreadable key or a missing passphrase.
      client.connect(config);
    } catch (error) {
      fail(error);
    }
  });
}
