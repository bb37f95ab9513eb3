/**
 * Engine configurations and their secrets. A saved config never holds a secret: the fields that
 * would (`password`, S3's `secretAccessKey`) are split off into the encrypted secrets on save and
 * merged back only in memory, when a connection is opened or tested. Generic over engines: it
 * looks at field names, never at the kind.
 */
import type { DraftConfig, SecretName } from '../../shared/contract.js';
import { AppError } from '../../shared/errors.js';
import type { PublicConnectionConfig } from '../../shared/model.js';
import { connectionConfigSchema, type ConnectionConfig } from '../backends/registry.js';
import type { RevealedSecrets } from './secret-vault.js';

/** Engine config fields that hold a secret; each is saved as the secret of the same name. */
export const engineSecretFields = [
  'password',
  'secretAccessKey',
] as const satisfies readonly SecretName[];
export type EngineSecretField = (typeof engineSecretFields)[number];

/** Parses a form's config with the registry's schema; blank fields count as left out. */
export function parseDraftConfig(draft: DraftConfig): ConnectionConfig {
  const fields = Object.fromEntries(
    Object.entries(draft).filter(([, value]) => value !== null && value !== ''),
  );
  const result = connectionConfigSchema.safeParse(fields);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.path[0] === 'kind') {
    throw new AppError(
      'invalid-input',
      `Strata cannot open ${draft.kind} connections yet`,
      'Choose another kind of store.',
    );
  }
  const field = issue?.path.join('.') ?? 'config';
  throw new AppError('invalid-input', `The ${field} field is not valid: ${issue?.message ?? ''}`);
}

/** The config with its secret fields taken out, and those secrets. */
export function splitSecrets(config: ConnectionConfig): {
  config: ConnectionConfig;
  secrets: Partial<Record<EngineSecretField, string>>;
} {
  const rest: Record<string, unknown> = { ...config };
  const secrets: Partial<Record<EngineSecretField, string>> = {};
  for (const field of engineSecretFields) {
    const value = rest[field];
    if (typeof value === 'string' && value !== '') secrets[field] = value;
    delete rest[field];
  }
  return { config: connectionConfigSchema.parse(rest), secrets };
}

export function hasPlaintextSecret(config: ConnectionConfig): boolean {
  return engineSecretFields.some((field) => field in config);
}

/**
 * The config an engine is opened with: saved secrets put back in the fields the engine's schema
 * has (a field it does not know is dropped by the parse). A secret already in the config (a URL
 * given on the command line) is kept when nothing is saved.
 */
export function withSecrets(config: ConnectionConfig, revealed: RevealedSecrets): ConnectionConfig {
  const merged: Record<string, unknown> = { ...config };
  for (const field of engineSecretFields) {
    const value = revealed[field];
    if (value !== undefined) merged[field] = value;
  }
  return connectionConfigSchema.parse(merged);
}

/** What the renderer may see of a config: secrets out, plain values only. */
export function publicConfig(config: ConnectionConfig): PublicConnectionConfig {
  const result: PublicConnectionConfig = { kind: config.kind };
  for (const [field, value] of Object.entries(config)) {
    if ((engineSecretFields as readonly string[]).includes(field)) continue;
    if (['string', 'number', 'boolean'].includes(typeof value)) {
      result[field] = value as string | number | boolean;
    }
  }
  return result;
}
