/**
 * Which credentials a tunnel offers the SSH server, in the order a person would expect: a key
 * saved with the connection, else the key file named in the form, else the IdentityFile of the
 * `~/.ssh/config` alias, else the usual default keys; a password (and the SSH agent, when no key
 * was named) alongside. ssh2 takes one private key, so only the first key file found is offered.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { SshEndpoint } from './ssh-config-file.js';

export interface SshSecrets {
  sshPassword?: string;
  sshPrivateKey?: string;
  sshPassphrase?: string;
}

export interface SshAuth {
  password?: string;
  privateKey?: Buffer;
  passphrase?: string;
  agent?: string;
  /** Where the key came from, for error messages (never the key itself). */
  keySource?: string;
}

const defaultKeyNames = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export async function sshAuth(
  endpoint: SshEndpoint,
  privateKeyPath: string | undefined,
  secrets: SshSecrets,
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir(),
): Promise<SshAuth> {
  const auth: SshAuth = {};
  if (secrets.sshPassword) auth.password = secrets.sshPassword;
  if (secrets.sshPassphrase) auth.passphrase = secrets.sshPassphrase;
  if (secrets.sshPrivateKey) {
    auth.privateKey = Buffer.from(secrets.sshPrivateKey, 'utf8');
    auth.keySource = 'the saved private key';
    return auth;
  }
  if (privateKeyPath) {
    // Named explicitly: a missing file is an error, not a reason to try something else.
    auth.privateKey = await readKey(privateKeyPath.replace(/^~(?=$|\/)/, home), true);
    auth.keySource = privateKeyPath;
    return auth;
  }
  const candidates = endpoint.identityFiles.length
    ? endpoint.identityFiles
    : defaultKeyNames.map((name) => path.join(home, '.ssh', name));
  for (const file of candidates) {
    const key = await readKey(file, false);
    if (key) {
      auth.privateKey = key;
      auth.keySource = file;
      break;
    }
  }
  if (env.SSH_AUTH_SOCK) auth.agent = env.SSH_AUTH_SOCK;
  return auth;
}

async function readKey(file: string, required: true): Promise<Buffer>;
async function readKey(file: string, required: boolean): Promise<Buffer | undefined>;
async function readKey(file: string, required: boolean): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && (code === 'ENOENT' || code === 'EISDIR')) return undefined;
    throw new AppError(
      code === 'ENOENT' ? 'not-found' : 'permission-denied',
      code === 'ENOENT'
        ? `No SSH private key file at ${file}`
        : `The SSH private key ${file} cannot be read (${code ?? 'error'})`,
      'Check the key path in the SSH tunnel settings.',
      { cause: error },
    );
  }
}
