/**
 * How saved secrets (passwords, SSH keys, S3 secret keys) are encrypted at rest. Electron's
 * `safeStorage` uses the OS keychain (Keychain, DPAPI, libsecret/kwallet); hosts without it (the
 * CLI, the web host) use a key file, see key-file-box.ts. Boxes are passed in, never imported, so
 * everything here runs in plain Node tests.
 */

/** Which box sealed a secret: kept beside it so a secret is always opened by the box that made it. */
export type SecretBoxId = 'safe-storage' | 'key-file';

export interface SecretBox {
  readonly id: SecretBoxId;
  /** False where this box cannot encrypt here (e.g. Linux without a keyring for safeStorage). */
  isAvailable(): boolean;
  /** The text encrypted, as base64. */
  encrypt(text: string): string;
  /** Throws when the data was not made by this box (or its key has changed). */
  decrypt(base64: string): string;
}

/** The part of Electron's `safeStorage` this needs; main.ts passes the real one. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export function safeStorageBox(safeStorage: SafeStorageLike): SecretBox {
  return {
    id: 'safe-storage',
    // On Linux without a keyring, safeStorage "encrypts" with a fixed key; the key file is no
    // weaker than that and says so honestly, so it is preferred there.
    isAvailable: () =>
      safeStorage.isEncryptionAvailable() &&
      safeStorage.getSelectedStorageBackend?.() !== 'basic_text',
    encrypt: (text) => safeStorage.encryptString(text).toString('base64'),
    decrypt: (base64) => safeStorage.decryptString(Buffer.from(base64, 'base64')),
  };
}
