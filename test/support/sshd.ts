/**
 * A real OpenSSH server for the tunnel tests: `/usr/sbin/sshd -D` on 127.0.0.1 and a free port,
 * configured entirely from a temporary directory (host key, authorized_keys, pid file), key
 * login only. Nothing on the machine's own ~/.ssh or /etc/ssh is read or changed. Where sshd is
 * not installed (Debian package `openssh-server`), `startSshd` answers why, for a loud skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const sshdPath = '/usr/sbin/sshd';

export interface SshServer {
  host: string;
  port: number;
  user: string;
  dir: string;
  /** A private key whose public half is authorized. */
  clientKey: string;
  /** A valid key that is not authorized. */
  strangerKey: string;
  /** Stops the server and every session it started; the tunnels through it drop. */
  stop(): Promise<void>;
  /** Starts it again on the same port, as after a server restart. */
  restart(): Promise<void>;
  /** Restarts it with a new host key, as a reinstalled server (or an impostor) would have. */
  rekey(): Promise<void>;
  remove(): Promise<void>;
}

/** Why the SSH tests cannot run here, or undefined when they can. */
export function sshdUnavailable(): string | undefined {
  if (!existsSync(sshdPath)) return `${sshdPath} is not installed (apt-get install openssh-server)`;
  if (spawnSync('ssh-keygen', ['-?']).error) return 'ssh-keygen is not installed (openssh-client)';
  return undefined;
}

export async function startSshd(): Promise<SshServer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-sshd-'));
  const keygen = (file: string) => {
    const result = spawnSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'strata-test',
      '-f',
      file,
    ]);
    if (result.status !== 0) throw new Error(`ssh-keygen failed: ${String(result.stderr)}`);
  };
  const hostKey = path.join(dir, 'host_key');
  const clientKey = path.join(dir, 'client_key');
  const strangerKey = path.join(dir, 'stranger_key');
  for (const key of [hostKey, clientKey, strangerKey]) keygen(key);
  await fs.copyFile(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  const port = await freePort();
  const user = os.userInfo().username;
  const config = path.join(dir, 'sshd_config');
  await fs.writeFile(
    config,
    [
      `ListenAddress 127.0.0.1`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      'PermitRootLogin prohibit-password',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  // As root, sshd insists on its privilege separation directory (systemd makes it at boot).
  if (process.getuid?.() === 0) await fs.mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(sshdPath, ['-D', '-e', '-f', config, '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await waitForBanner(child, port);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running?.pid || running.exitCode !== null) return;
    // Each session is a child sshd in a session of its own: stop them by their ids, then the server.
    for (const pid of await descendantsOf(running.pid)) killQuietly(pid);
    const exited = new Promise((resolve) => running.once('exit', resolve));
    killQuietly(running.pid);
    await exited;
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    user,
    dir,
    clientKey,
    strangerKey,
    stop,
    restart: start,
    rekey: async () => {
      await stop();
      await fs.rm(hostKey);
      await fs.rm(`${hostKey}.pub`);
      keygen(hostKey);
      await start();
    },
    remove: async () => {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Resolves once the server greets with its SSH banner; rejects with its stderr if it exits. */
async function waitForBanner(child: ChildProcess, port: number): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${stderr}`);
    if (await greets(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`sshd did not answer on port ${port}: ${stderr}`);
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(1_000);
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('SSH-'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Every process below `pid` (sessions fork a privileged monitor and an unprivileged child). */
async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await fs.readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 (after the parenthesised command name) is the parent's pid.
    parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, of] of parents) {
      if (of === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}
