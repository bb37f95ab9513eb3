/**
 * Resolves the SSH server of a tunnel the way `ssh` does for the settings Strata uses: the host
 * may be a `~/.ssh/config` alias whose HostName, Port, User and IdentityFile apply; what the
 * connection form says explicitly wins over the file, as command-line options do for `ssh`.
 * Parsed with the `ssh-config` package, with `Match exec` disabled so reading the file never runs
 * a command. ProxyJump, ProxyCommand and Include are not followed.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SSHConfig from 'ssh-config';
import type { SshTunnel } from '../../shared/model.js';

export interface SshEndpoint {
  /** What the user typed: a host name or an alias. */
  alias: string;
  host: string;
  port: number;
  user: string;
  /** IdentityFile entries, `~` and `%d`/`%u` expanded, in the file's order. */
  identityFiles: string[];
}

export interface SshConfigOptions {
  /** The ssh_config file to read; `~/.ssh/config` when absent. Tests pass their own. */
  configPath?: string;
  home?: string;
  localUser?: string;
}

export function defaultSshConfigPath(home = os.homedir()): string {
  return path.join(home, '.ssh', 'config');
}

export async function resolveSshEndpoint(
  tunnel: SshTunnel,
  options: SshConfigOptions = {},
): Promise<SshEndpoint> {
  const home = options.home ?? os.homedir();
  const localUser = options.localUser ?? os.userInfo().username;
  const computed = await readHostConfig(
    options.configPath ?? defaultSshConfigPath(home),
    tunnel.host,
  );
  const first = (key: string): string | undefined => {
    const value = computed[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const configPort = Number(first('port'));
  const identity = computed.identityfile;
  const expand = (file: string) =>
    file
      .replace(/^~(?=$|\/)/, home)
      .replace(/%d/g, home)
      .replace(/%u/g, localUser);
  return {
    alias: tunnel.host,
    host: first('hostname')?.replace(/%h/g, tunnel.host) ?? tunnel.host,
    port: tunnel.port ?? (Number.isInteger(configPort) && configPort > 0 ? configPort : 22),
    user: tunnel.user ?? first('user') ?? localUser,
    identityFiles: (Array.isArray(identity) ? identity : identity ? [identity] : []).map(expand),
  };
}

async function readHostConfig(
  file: string,
  host: string,
): Promise<Record<string, string | string[]>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    // No config file is the common case, not an error.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return SSHConfig.parse(text).compute(host, { ignoreCase: true, matchExec: false });
}
