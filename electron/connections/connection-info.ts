/**
 * What the renderer is told about a saved connection. Built from an allow-list of fields, so a
 * secret (or a field added to SavedConnection later) cannot reach the renderer by accident.
 */
import type { ConnectionInfo, ConnectionStatus } from '../../shared/model.js';
import { factoryFor } from '../backends/registry.js';
import { engineSecretFields, publicConfig } from './connection-config.js';
import type { SavedConnection } from './connection-store.js';

export function connectionInfo(
  connection: SavedConnection,
  status: ConnectionStatus | undefined,
  lastFailure: { message: string; hint?: string } | undefined,
): ConnectionInfo {
  const factory = factoryFor(connection.config);
  const secrets = connection.secrets ?? {};
  const tunnel = connection.tunnel;
  const via = tunnel ? ` via SSH ${tunnel.user ? `${tunnel.user}@` : ''}${tunnel.host}` : '';
  const info: ConnectionInfo = {
    id: connection.id,
    name: connection.name,
    kind: connection.config.kind,
    target: factory.describeTarget(connection.config) + via,
    readOnly: connection.readOnly,
    capabilities: factory.capabilities,
    status: status ?? { state: 'ready' },
    config: publicConfig(connection.config),
    hasPassword:
      engineSecretFields.some((field) => secrets[field] !== undefined) ||
      // A URL from the command line carries its password in the config (never saved).
      engineSecretFields.some((field) => field in connection.config),
  };
  if (tunnel) {
    info.tunnel = {
      host: tunnel.host,
      ...(tunnel.port !== undefined ? { port: tunnel.port } : {}),
      ...(tunnel.user !== undefined ? { user: tunnel.user } : {}),
      ...(tunnel.privateKeyPath !== undefined ? { privateKeyPath: tunnel.privateKeyPath } : {}),
      hasPassword: secrets.sshPassword !== undefined,
      hasPrivateKey: secrets.sshPrivateKey !== undefined,
      hasPassphrase: secrets.sshPassphrase !== undefined,
    };
  }
  if (lastFailure) info.lastFailure = lastFailure;
  return info;
}
