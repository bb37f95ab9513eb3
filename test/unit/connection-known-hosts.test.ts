/** known_hosts lookups as OpenSSH writes them: plain, bracketed ports, hashed names, wildcards. */
import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnownHosts } from '../../electron/tunnel/known-hosts.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-known-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A wire-format public key: uint32 length + type, then key bytes. */
function key(type: string, body: string): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, Buffer.from(body)]);
}
const a = key('ssh-ed25519', 'key-a');
const b = key('ssh-ed25519', 'key-b');
const rsa = key('ssh-rsa', 'key-r');

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdefghij');
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}

describe('KnownHosts', () => {
  it('finds plain, bracketed-port, hashed and wildcard entries in the user file', async () => {
    const user = path.join(dir, 'known_hosts');
    await fs.writeFile(
      user,
      [
        '# comment',
        `db.example,10.0.0.5 ssh-ed25519 ${a.toString('base64')}`,
        `[bastion]:2222 ssh-ed25519 ${a.toString('base64')}`,
        `${hashed('secret-host')} ssh-ed25519 ${a.toString('base64')}`,
        `*.internal ssh-ed25519 ${a.toString('base64')}`,
        '@cert-authority * ssh-ed25519 AAAA',
        '',
      ].join('\n'),
    );
    const known = new KnownHosts({ user, app: path.join(dir, 'app') });
    for (const [host, port] of [
      ['db.example', 22],
      ['10.0.0.5', 22],
      ['bastion', 2222],
      ['secret-host', 22],
      ['x.internal', 22],
    ] as const) {
      expect(await known.check(host, port, a), `${host}:${port}`).toEqual({ state: 'known' });
    }
    expect(await known.check('bastion', 22, a)).toEqual({ state: 'new' });
    expect(await known.check('db.example', 22, b)).toEqual({
      state: 'changed',
      file: user,
      line: 2,
    });
    // Another key type is not a change: the host may simply have several keys.
    expect(await known.check('db.example', 22, rsa)).toEqual({ state: 'new' });
  });

  it('remembers a new host in its own file, 0600, and never touches the user file', async () => {
    const user = path.join(dir, 'known_hosts');
    const app = path.join(dir, 'data', 'ssh_known_hosts');
    const known = new KnownHosts({ user, app });
    await known.remember('127.0.0.1', 2200, a);
    expect(await known.check('127.0.0.1', 2200, a)).toEqual({ state: 'known' });
    expect(await known.check('127.0.0.1', 2200, b)).toMatchObject({ state: 'changed', file: app });
    expect((await fs.stat(app)).mode & 0o777).toBe(0o600);
    await expect(fs.stat(user)).rejects.toThrow();
  });
});
