/**
 * Seals and opens a connection's secrets. Each sealed secret names the box that sealed it, so a
 * secret saved by the CLI (key file) still opens in the app (safeStorage), and vice versa.
 */
import { z } from 'zod';
import { secretNames, type SecretName, type SecretsInput } from '../../shared/contract.js';
import { AppError } from '../../shared/errors.js';
import type { SecretBox } from './secret-box.js';

export const sealedSecretSchema = z.object({
  enc: z.string().min(1),
  box: z.enum(['safe-storage', 'key-file']),
});
export type SealedSecret = z.infer<typeof sealedSecretSchema>;

export const storedSecretsSchema = z.object({
  password: sealedSecretSchema.optional(),
  secretAccessKey: sealedSecretSchema.optional(),
  sshPassword: sealedSecretSchema.optional(),
  sshPrivateKey: sealedSecretSchema.optional(),
  sshPassphrase: sealedSecretSchema.optional(),
});
export type StoredSecrets = z.infer<typeof storedSecretsSchema>;
export type RevealedSecrets = Partial<Record<SecretName, string>>;

export class SecretVault {
  /** `boxes` in order of preference; the first available one seals new secrets. */
  constructor(private readonly boxes: readonly SecretBox[]) {}

  /** The box new secrets go into. */
  get sealer(): SecretBox {
    const box = this.boxes.find((b) => b.isAvailable());
    if (!box) throw new AppError('unavailable', 'No way to encrypt secrets on this machine');
    return box;
  }

  seal(text: string): SealedSecret {
    const box = this.sealer;
    return { enc: box.encrypt(text), box: box.id };
  }

  open(sealed: SealedSecret, what: string): string {
    const box = this.boxes.find((b) => b.id === sealed.box);
    try {
      if (!box) throw new Error(`no ${sealed.box} here`);
      return box.decrypt(sealed.enc);
    } catch (error) {
      throw new AppError(
        'permission-denied',
        `The saved ${what} cannot be decrypted on this machine`,
        sealed.box === 'safe-storage'
          ? 'It was saved by the Strata app with the OS keychain: open it there, or enter the secret again and save.'
          : 'The secret key file has changed or is missing: enter the secret again and save.',
        { cause: error },
      );
    }
  }

  /** The stored secrets after a save: a string replaces, `null` (or '') clears, absent keeps. */
  apply(stored: StoredSecrets, changes: SecretsInput): StoredSecrets {
    const next: StoredSecrets = { ...stored };
    for (const name of secretNames) {
      const change = changes[name];
      if (change === undefined) continue;
      if (change === null || change === '') delete next[name];
      else next[name] = this.seal(change);
    }
    return next;
  }

  /** Every stored secret decrypted, for opening a connection; kept in memory only. */
  reveal(stored: StoredSecrets, connectionName: string): RevealedSecrets {
    const revealed: RevealedSecrets = {};
    for (const name of secretNames) {
      const sealed = stored[name];
      if (sealed) revealed[name] = this.open(sealed, `${label(name)} of “${connectionName}”`);
    }
    return revealed;
  }
}

function label(name: SecretName): string {
  switch (name) {
    case 'password':
      return 'password';
    case 'secretAccessKey':
      return 'secret access key';
    case 'sshPassword':
      return 'SSH password';
    case 'sshPrivateKey':
      return 'SSH private key';
    case 'sshPassphrase':
      return 'SSH key passphrase';
  }
}
