/**
 * The secret box for hosts without Electron's safeStorage (CLI, web host): AES-256-GCM with a
 * random 32-byte key kept in `secret.key` (mode 0600) in the data directory.
 *
 * This is WEAKER than the OS keychain: anyone who can read the data directory (a backup, another
 * process running as the same user) can read the key and decrypt every saved secret. It keeps
 * secrets out of connections.json in plain text and nothing more; the UI says so.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { SecretBox } from './secret-box.js';

export const secretKeyFileName = 'secret.key';
const keyLength = 32;
const ivLength = 12;
const tagLength = 16;

export function keyFileBox(dataDir: string): SecretBox {
  const file = path.join(dataDir, secretKeyFileName);
  let key: Buffer | undefined;
  // Read or created on first use, so a data directory that never saves a secret has no key file.
  const getKey = (): Buffer => (key ??= loadOrCreateKey(file));
  return {
    id: 'key-file',
    isAvailable: () => true,
    encrypt: (text) => {
      const iv = randomBytes(ivLength);
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt: (base64) => {
      const data = Buffer.from(base64, 'base64');
      if (data.length < ivLength + tagLength) throw new Error('The encrypted secret is truncated');
      const decipher = createDecipheriv('aes-256-gcm', getKey(), data.subarray(0, ivLength));
      decipher.setAuthTag(data.subarray(ivLength, ivLength + tagLength));
      const body = data.subarray(ivLength + tagLength);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}

function loadOrCreateKey(file: string): Buffer {
  try {
    // `wx`: two processes starting at once must not each write a key and lose one's secrets.
    writeFileSync(file, randomBytes(keyLength), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readFileSync(file);
  if (key.length !== keyLength) {
    throw new AppError(
      'invalid-input',
      `The secret key file ${file} is damaged (${key.length} bytes, expected ${keyLength})`,
      'Restore it from a backup, or remove it and enter the saved passwords again.',
    );
  }
  return key;
}
