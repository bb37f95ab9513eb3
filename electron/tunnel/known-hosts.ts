/**
 * Checks an SSH server's host key the way `ssh` does with StrictHostKeyChecking=accept-new: a key
 * listed for the host in the user's known_hosts (read only, never written) or in Strata's own
 * file must match; a host seen for the first time has its key remembered in Strata's file; a
 * host whose key of the same type has changed is refused, since that is what an attacker in the
 * middle looks like. Reads OpenSSH's format, hashed host names (`|1|salt|hash`) included.
 */
import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type HostKeyVerdict =
  { state: 'known' } | { state: 'new' } | { state: 'changed'; file: string; line: number };

export interface KnownHostsFiles {
  /** The user's file, `~/.ssh/known_hosts` by default; only read. */
  user?: string;
  /** Strata's own file, where keys of hosts seen for the first time are added. */
  app: string;
}

export class KnownHosts {
  private readonly userFile: string;

  constructor(private readonly files: KnownHostsFiles) {
    this.userFile = files.user ?? path.join(os.homedir(), '.ssh', 'known_hosts');
  }

  /** Answers whether `key` (the SSH wire-format public key) is the one known for the host. */
  async check(host: string, port: number, key: Buffer): Promise<HostKeyVerdict> {
    const name = hostPattern(host, port);
    const type = keyType(key);
    let changed: HostKeyVerdict | undefined;
    for (const file of [this.userFile, this.files.app]) {
      const lines = (await fs.readFile(file, 'utf8').catch(() => '')).split('\n');
      for (const [index, line] of lines.entries()) {
        const entry = parseLine(line);
        if (!entry || !entry.hosts.some((pattern) => hostMatches(pattern, name))) continue;
        const listed = Buffer.from(entry.key, 'base64');
        if (listed.equals(key)) return { state: 'known' };
        if (entry.type === type) changed ??= { state: 'changed', file, line: index + 1 };
      }
    }
    return changed ?? { state: 'new' };
  }

  async remember(host: string, port: number, key: Buffer): Promise<void> {
    await fs.mkdir(path.dirname(this.files.app), { recursive: true });
    const line = `${hostPattern(host, port)} ${keyType(key)} ${key.toString('base64')}\n`;
    await fs.appendFile(this.files.app, line, { mode: 0o600 });
  }
}

/** How OpenSSH names a host in known_hosts: bare on port 22, `[host]:port` otherwise. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type is the first string of the SSH wire-format key: uint32 length, then bytes. */
function keyType(key: Buffer): string {
  if (key.length < 4) return '';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('latin1');
}

function parseLine(line: string): { hosts: string[]; type: string; key: string } | undefined {
  const trimmed = line.trim();
  // Comments, blanks, and @cert-authority / @revoked markers (not supported: skipped).
  if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('@')) return undefined;
  const [hosts, type, key] = trimmed.split(/\s+/);
  if (!hosts || !type || !key) return undefined;
  return { hosts: hosts.split(','), type, key };
}

function hostMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  if (pattern.startsWith('!')) return false;
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(name);
}
