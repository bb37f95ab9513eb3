/**
 * The connections the app knows: saved ones, plus URLs given on the command line. Opens each
 * engine lazily, once, and keeps its status (ready, still being prepared, failed) for the UI.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { ConnectionInfo, ConnectionStatus } from '../../shared/model.js';
import type { Backend } from '../backends/backend.js';
import { configFromUrl, factoryFor, type ConnectionConfig } from '../backends/registry.js';
import type { ConnectionStore, SavedConnection } from './connection-store.js';

export class ConnectionManager {
  private connections: SavedConnection[] = [];
  private readonly statuses = new Map<string, ConnectionStatus>();
  private readonly open = new Map<string, Promise<Backend>>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** Loads the saved connections; answers true when this data directory is new. */
  async load(): Promise<boolean> {
    const saved = await this.store.load();
    this.connections = saved ?? [];
    return saved === undefined;
  }

  list(): ConnectionInfo[] {
    return this.connections.map((c) => this.info(c));
  }

  get(id: string): SavedConnection {
    const found = this.connections.find((c) => c.id === id);
    if (!found) throw new AppError('not-found', `No saved connection with id ${id}`);
    return found;
  }

  /**
   * A connection named on the command line: a saved connection's id or name (case-insensitive),
   * or a URL such as `sqlite:shop.db`, which is used without being saved.
   */
  resolve(text: string): SavedConnection {
    const byId = this.connections.find((c) => c.id === text);
    if (byId) return byId;
    const byName = this.connections.filter((c) => c.name.toLowerCase() === text.toLowerCase());
    if (byName.length === 1) return byName[0]!;
    const config = configFromUrl(text);
    if (config) {
      const ephemeral: SavedConnection = {
        id: `url:${text}`,
        name: text,
        readOnly: true,
        createdAt: new Date().toISOString(),
        config,
      };
      if (!this.connections.some((c) => c.id === ephemeral.id)) this.connections.push(ephemeral);
      return ephemeral;
    }
    const names = this.connections.map((c) => c.name).join(', ') || 'none saved';
    throw new AppError(
      'not-found',
      byName.length > 1
        ? `More than one connection is named “${text}”; use its id`
        : `No connection named “${text}” (saved: ${names})`,
      'Give a saved connection’s name, or a URL such as sqlite:PATH.',
    );
  }

  async add(input: { name: string; config: ConnectionConfig; readOnly: boolean }): Promise<ConnectionInfo> {
    await factoryFor(input.config).validate(input.config, { readOnly: input.readOnly });
    const connection: SavedConnection = {
      id: randomUUID(),
      name: this.uniqueName(input.name),
      readOnly: input.readOnly,
      createdAt: new Date().toISOString(),
      config: input.config,
    };
    await this.store.save([...this.saved(), connection]);
    this.connections.push(connection);
    this.onChange();
    return this.info(connection);
  }

  /** Saves a connection without checking it, for one Strata itself is about to create. */
  async addPrepared(connection: SavedConnection): Promise<void> {
    await this.store.save([...this.saved(), connection]);
    this.connections.push(connection);
    this.onChange();
  }

  async remove(id: string): Promise<boolean> {
    const index = this.connections.findIndex((c) => c.id === id);
    if (index < 0) return false;
    await this.store.save(this.saved().filter((c) => c.id !== id));
    this.connections.splice(index, 1);
    await this.closeBackend(id);
    this.statuses.delete(id);
    this.onChange();
    return true;
  }

  setStatus(id: string, status: ConnectionStatus): void {
    this.statuses.set(id, status);
    this.onChange();
  }

  backend(id: string): Promise<Backend> {
    const connection = this.get(id);
    const status = this.statuses.get(id);
    if (status?.state === 'preparing') {
      return Promise.reject(
        new AppError('unavailable', `${connection.name} is still being prepared (${status.label})`, 'Wait a moment.'),
      );
    }
    let backend = this.open.get(id);
    if (!backend) {
      backend = factoryFor(connection.config).open(connection.config);
      backend.catch(() => this.open.delete(id));
      this.open.set(id, backend);
    }
    return backend;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.closeBackend(id)));
  }

  private async closeBackend(id: string): Promise<void> {
    const backend = this.open.get(id);
    this.open.delete(id);
    if (backend) await (await backend.catch(() => undefined))?.close();
  }

  private saved(): SavedConnection[] {
    return this.connections.filter((c) => !c.id.startsWith('url:'));
  }

  private uniqueName(wanted: string): string {
    const taken = new Set(this.connections.map((c) => c.name.toLowerCase()));
    if (!taken.has(wanted.toLowerCase())) return wanted;
    for (let n = 2; ; n++) {
      const candidate = `${wanted} (${n})`;
      if (!taken.has(candidate.toLowerCase())) return candidate;
    }
  }

  private info(connection: SavedConnection): ConnectionInfo {
    const factory = factoryFor(connection.config);
    return {
      id: connection.id,
      name: connection.name,
      kind: connection.config.kind,
      target: factory.describeTarget(connection.config),
      readOnly: connection.readOnly,
      capabilities: factory.capabilities,
      status: this.statuses.get(connection.id) ?? { state: 'ready' },
    };
  }
}
