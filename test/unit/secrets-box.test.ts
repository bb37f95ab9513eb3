/** The secret boxes and the vault: what is sealed opens again, only with the box that sealed it. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { keyFileBox, secretKeyFileName } from '../../electron/connections/key-file-box.js';
import { safeStorageBox, type SafeStorageLike } from '../../electron/connections/secret-box.js';
import { SecretVault } from '../../electron/connections/secret-vault.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-secrets-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A stand-in for Electron's safeStorage: reversible, and visibly not plain text. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(`SAFE:${[...text].reverse().join('')}`),
    decryptString: (data) => {
      const text = data.toString();
      if (!text.startsWith('SAFE:')) throw new Error('not ours');
      return [...text.slice(5)].reverse().join('');
    },
  };
}

describe('key-file box', () => {
  it('round-trips text with AES-256-GCM and a 0600 key file made on first use', async () => {
    const box = keyFileBox(dir);
    expect(await fs.readdir(dir)).toEqual([]);
    const sealed = box.encrypt('pässwörd «東京»');
    expect(Buffer.from(sealed, 'base64').toString('utf8')).not.toContain('pässwörd');
    expect(box.decrypt(sealed)).toBe('pässwörd «東京»');
    const stat = await fs.stat(path.join(dir, secretKeyFileName));
    expect(stat.size).toBe(32);
    expect(stat.mode & 0o777).toBe(0o600);
    // A second box (another process) reads the same key.
    expect(keyFileBox(dir).decrypt(sealed)).toBe('pässwörd «東京»');
  });

  it('uses a fresh IV each time and refuses tampered or foreign data', () => {
    const box = keyFileBox(dir);
    const a = box.encrypt('same');
    expect(box.encrypt('same')).not.toBe(a);
    const bytes = Buffer.from(a, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => box.decrypt(bytes.toString('base64'))).toThrow();
    expect(() => box.decrypt('AAAA')).toThrow(/truncated/);
  });

  it('refuses a damaged key file rather than making a new key', async () => {
    await fs.writeFile(path.join(dir, secretKeyFileName), 'short');
    expect(() => keyFileBox(dir).encrypt('x')).toThrow(/damaged/);
  });
});

describe('safeStorage box', () => {
  it('is available with a real keyring, not with basic_text (a fixed key)', () => {
    expect(safeStorageBox(fakeSafeStorage()).isAvailable()).toBe(true);
    expect(safeStorageBox(fakeSafeStorage('basic_text')).isAvailable()).toBe(false);
    expect(safeStorageBox(fakeSafeStorage('gnome_libsecret', false)).isAvailable()).toBe(false);
    const box = safeStorageBox(fakeSafeStorage());
    expect(box.decrypt(box.encrypt('hunter2'))).toBe('hunter2');
  });
});

describe('SecretVault', () => {
  it('seals with the first available box and opens with the box named in the secret', () => {
    const file = keyFileBox(dir);
    const withKeychain = new SecretVault([safeStorageBox(fakeSafeStorage()), file]);
    const withoutKeychain = new SecretVault([safeStorageBox(fakeSafeStorage('basic_text')), file]);
    const a = withKeychain.seal('one');
    const b = withoutKeychain.seal('two');
    expect(a.box).toBe('safe-storage');
    expect(b.box).toBe('key-file');
    // Either vault opens both: the app reads what the CLI saved and the other way round.
    expect(withoutKeychain.open(a, 'x')).toBe('one');
    expect(withKeychain.open(b, 'x')).toBe('two');
  });

  it('applies changes: a string sets, null or empty clears, absent keeps', () => {
    const vault = new SecretVault([keyFileBox(dir)]);
    const stored = vault.apply({}, { password: 'p1', sshPassword: 's1' });
    const next = vault.apply(stored, {
      password: undefined,
      sshPassword: null,
      sshPassphrase: 'k',
    });
    expect(next.password).toEqual(stored.password);
    expect(next.sshPassword).toBeUndefined();
    expect(vault.reveal(next, 'c')).toEqual({ password: 'p1', sshPassphrase: 'k' });
    expect(vault.apply(next, { password: '' }).password).toBeUndefined();
  });

  it('says what cannot be decrypted and what to do, never the ciphertext', () => {
    const vault = new SecretVault([keyFileBox(dir)]);
    const sealed = vault.seal('p');
    const other = new SecretVault([keyFileBox(path.join(dir, 'elsewhere'))]);
    const error = (() => {
      try {
        other.reveal({ password: sealed }, 'Warehouse');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe(
      'The saved password of “Warehouse” cannot be decrypted on this machine',
    );
    expect((error as AppError).hint).toMatch(/enter the secret again/);
  });
});
