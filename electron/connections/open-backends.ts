/**
 * The backends that are open, one per connection, each with its SSH tunnel when it has one.
 * Opened lazily on first use, shared by every call after; a failed open is forgotten so the next
 * call tries again. A tunnel that drops makes its connection's calls fail at once, with a reason,
 * until it is reconnected, rather than leaving the engine to time out against a dead port.
 */
import { AppError } from '../../shared/errors.js';
import type { Backend } from '../backends/backend.js';
import type { ConnectionOpener, OpenedConnection } from './connection-opener.js';
import type { SavedConnection } from './connection-store.js';
import type { SecretVault } from './secret-vault.js';

export class OpenBackends {
  private readonly open = new Map<string, Promise<OpenedConnection>>();

  constructor(
    private readonly opener: ConnectionOpener,
    private readonly vault: SecretVault,
    private readonly onTunnelClosed: (connection: SavedConnection) => void,
  ) {}

  get(connection: SavedConnection): Promise<Backend> {
    let opened = this.open.get(connection.id);
    if (!opened) {
      opened = this.openConnection(connection);
      opened.catch(() => this.open.delete(connection.id));
      this.open.set(connection.id, opened);
    }
    return opened.then(({ backend, tunnel }) => {
      if (tunnel && !tunnel.isOpen()) {
        throw new AppError(
          'unavailable',
          `The SSH tunnel of “${connection.name}” (via ${tunnel.via}) has closed`,
          'Reconnect to open it again.',
        );
      }
      return backend;
    });
  }

  async close(id: string): Promise<void> {
    const opened = this.open.get(id);
    this.open.delete(id);
    const settled = await opened?.catch(() => undefined);
    if (!settled) return;
    try {
      await settled.backend.close();
    } finally {
      await settled.tunnel?.close();
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.close(id)));
  }

  private async openConnection(connection: SavedConnection): Promise<OpenedConnection> {
    const secrets = this.vault.reveal(connection.secrets ?? {}, connection.name);
    const opened = await this.opener.open({
      config: connection.config,
      tunnel: connection.tunnel,
      secrets,
    });
    opened.tunnel?.onClose(() => this.onTunnelClosed(connection));
    return opened;
  }
}
