/**
 * Turns what the connection form sends (a draft) into what is saved or tested. Secrets follow
 * one rule everywhere: a string sets one, `null` clears it, absent keeps the saved one; a
 * password typed inline in the config (e.g. from a pasted URL) counts as given.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectionDraft, SecretsInput, TestDraft } from '../../shared/contract.js';
import { secretNames } from '../../shared/contract.js';
import type { SshTunnel } from '../../shared/model.js';
import type { ConnectionConfig } from '../backends/registry.js';
import { parseDraftConfig, splitSecrets } from './connection-config.js';
import type { SavedConnection } from './connection-store.js';
import type { RevealedSecrets, SecretVault, StoredSecrets } from './secret-vault.js';

interface ParsedDraft {
  config: ConnectionConfig;
  tunnel: SshTunnel | undefined;
  changes: SecretsInput;
}

function parseDraft(draft: ConnectionDraft | TestDraft): ParsedDraft {
  const { config, secrets: inline } = splitSecrets(parseDraftConfig(draft.config));
  const changes: SecretsInput = { ...inline, ...stripUndefined(draft.secrets) };
  // Without a tunnel its secrets have no use: clear them rather than keep them hidden.
  if (!draft.tunnel) {
    changes.sshPassword = null;
    changes.sshPrivateKey = null;
    changes.sshPassphrase = null;
  }
  return { config, tunnel: draft.tunnel, changes };
}

/** The connection to save for a draft; `existing` is the one it updates, if any. */
export function savedFromDraft(
  draft: ConnectionDraft,
  existing: SavedConnection | undefined,
  name: string,
  vault: SecretVault,
): SavedConnection {
  const { config, tunnel, changes } = parseDraft(draft);
  const secrets = vault.apply(existing?.secrets ?? {}, changes);
  return {
    id: existing?.id ?? randomUUID(),
    name,
    readOnly: draft.readOnly,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
    config,
    ...(tunnel ? { tunnel } : {}),
    ...(hasAny(secrets) ? { secrets } : {}),
  };
}

/** What a Test uses: the draft's settings with the saved secrets it did not replace. */
export function testRequest(
  draft: TestDraft,
  existingSecrets: RevealedSecrets,
): { config: ConnectionConfig; tunnel: SshTunnel | undefined; secrets: RevealedSecrets } {
  const { config, tunnel, changes } = parseDraft(draft);
  const secrets: RevealedSecrets = { ...existingSecrets };
  for (const name of secretNames) {
    const change = changes[name];
    if (change === null || change === '') delete secrets[name];
    else if (change !== undefined) secrets[name] = change;
  }
  return { config, tunnel, secrets };
}

function hasAny(secrets: StoredSecrets): boolean {
  return Object.values(secrets).some((value) => value !== undefined);
}

function stripUndefined(input: SecretsInput): SecretsInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
