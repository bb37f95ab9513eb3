/**
 * The connections the app knows: saved ones, plus URLs given on the command line. Opens each
 * engine lazily, once (through its SSH tunnel, if any), and keeps its status (ready, still being
 * prepared, failed, unreachable) for the UI.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectionDraft, ConnectionTestResult, TestDraft } from '../../shared/contract.js';
import { AppError } from '../../shared/errors.js';
import type { ConnectionInfo, ConnectionStatus } from '../../shared/model.js';
import type { Backend } from '../backends/backend.js';
import { configFromUrl, factoryFor, type ConnectionConfig } from '../backends/registry.js';
import { hasPlaintextSecret, splitSecrets } from './connection-config.js';
import { savedFromDraft, testRequest } from './connection-drafts.js';
import { connectionInfo } from './connection-info.js';
import type { ConnectionOpener } from './connection-opener.js';
import type { ConnectionStore, SavedConnection } from './connection-store.js';
import type { SecretVault } from './secret-vault.js';
import { OpenBackends } from './open-backends.js';

export interface ConnectionManagerDeps {
  store: ConnectionStore;
  vault: SecretVault;
  opener: ConnectionOpener;
  onChange?: () => void;
}

type Failure = { message: string; hint?: string };

export class ConnectionManager {
  private connections: SavedConnection[] = [];
  private readonly statuses = new Map<string, ConnectionStatus>();
  private readonly failures = new Map<string, Failure>();
  private readonly backends: OpenBackends;
  private readonly opener: ConnectionOpener;
  private readonly store: ConnectionStore;
  private readonly vault: SecretVault;
  private readonly onChange: () => void;

  constructor(deps: ConnectionManagerDeps) {
    this.store = deps.store;
    this.vault = deps.vault;
    this.opener = deps.opener;
    this.onChange = deps.onChange ?? (() => undefined);
    this.backends = new OpenBackends(deps.opener, deps.vault, (connection) =>
      this.noteUnavailable(connection.id, {
        message: `The SSH tunnel of “${connection.name}” closed`,
        hint: 'Reconnect to open it again.',
      }),
    );
  }

  /**
   * Loads the saved connections; answers true when this data directory is new. An older file is
   * written as the current version by the next save (a command that only reads leaves it be);
   * a password found in plain text is sealed and written back at once.
   */
  async load(): Promise<boolean> {
    const loaded = await this.store.load();
    this.connections = (loaded?.connections ?? []).map((c) => this.sealPlaintext(c));
    if (loaded?.connections.some((c) => hasPlaintextSecret(c.config))) {
      await this.store.save(this.saved());
    }
    return loaded === undefined;
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
        // A URL typed on the command line is an explicit choice of target: `strata ingest` and
        // `strata restore` may write to it. Saved connections carry their own read-only switch.
        readOnly: false,
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

  /** Checks the config can be used (e.g. the SQLite file exists), then saves it. */
  async add(input: {
    name: string;
    config: ConnectionConfig;
    readOnly: boolean;
  }): Promise<ConnectionInfo> {
    await factoryFor(input.config).validate(input.config, { readOnly: input.readOnly });
    return this.save({
      name: input.name,
      readOnly: input.readOnly,
      config: input.config,
      secrets: {},
    });
  }

  /** Saves a connection without checking it, for one Strata itself is about to create. */
  async addPrepared(connection: SavedConnection): Promise<void> {
    await this.persist([...this.saved(), connection]);
    this.connections.push(connection);
    this.onChange();
  }

  /** Creates (no `id`) or updates a saved connection. Connecting is Test's job, not Save's. */
  async save(draft: ConnectionDraft): Promise<ConnectionInfo> {
    const existing = draft.id === undefined ? undefined : this.savedOne(draft.id);
    const name =
      existing && existing.name.toLowerCase() === draft.name.toLowerCase()
        ? draft.name
        : this.uniqueName(draft.name, existing?.id);
    const connection = savedFromDraft(draft, existing, name, this.vault);
    const others = this.saved().filter((c) => c.id !== connection.id);
    await this.persist([...others, connection]);
    this.replace(connection);
    if (existing) await this.backends.close(connection.id);
    this.failures.delete(connection.id);
    this.onChange();
    return this.info(connection);
  }

  /** A copy under a new name, secrets included (sealed as they are). */
  async duplicate(id: string): Promise<ConnectionInfo> {
    const original = this.savedOne(id);
    const copy: SavedConnection = {
      ...structuredClone(original),
      id: randomUUID(),
      name: this.uniqueName(`${original.name} (copy)`),
      createdAt: new Date().toISOString(),
    };
    await this.addPrepared(copy);
    return this.info(copy);
  }

  /** Connects with a draft and disconnects again; saved secrets fill the ones it leaves out. */
  async test(draft: TestDraft): Promise<ConnectionTestResult> {
    const existing = draft.id === undefined ? undefined : this.get(draft.id);
    const saved = existing ? this.vault.reveal(existing.secrets ?? {}, existing.name) : {};
    return this.opener.test(testRequest(draft, saved), draft.readOnly);
  }

  async remove(id: string): Promise<boolean> {
    const index = this.connections.findIndex((c) => c.id === id);
    if (index < 0) return false;
    await this.persist(this.saved().filter((c) => c.id !== id));
    this.connections.splice(index, 1);
    await this.backends.close(id);
    this.statuses.delete(id);
    this.failures.delete(id);
    this.onChange();
    return true;
  }

  setStatus(id: string, status: ConnectionStatus): void {
    this.statuses.set(id, status);
    this.onChange();
  }

  /** A call on this connection failed because its store could not be reached: offer Reconnect. */
  noteUnavailable(id: string, failure: Failure): void {
    if (!this.connections.some((c) => c.id === id)) return;
    this.failures.set(id, failure);
    this.onChange();
  }

  /** A call on this connection worked: whatever failed before has passed. */
  noteReachable(id: string): void {
    if (this.failures.delete(id)) this.onChange();
  }

  backend(id: string): Promise<Backend> {
    const connection = this.get(id);
    const status = this.statuses.get(id);
    if (status?.state === 'preparing') {
      return Promise.reject(
        new AppError(
          'unavailable',
          `${connection.name} is still being prepared (${status.label})`,
          'Wait a moment.',
        ),
      );
    }
    return this.backends.get(connection);
  }

  /**
   * The backend for a change to the store: THE one gate every write path must pass (upload,
   * restore, delete rows…), so a read-only connection can never be written through any of them.
   */
  async writableBackend(id: string): Promise<Backend> {
    const connection = this.get(id);
    if (connection.readOnly) {
      throw new AppError(
        'read-only',
        `“${connection.name}” is read-only; Strata will not change it`,
        'Edit the connection and turn off Read-only to allow changes.',
      );
    }
    return this.backend(id);
  }

  /** Closes the connection's backend and tunnel and opens them again; errors say why it failed. */
  async reconnect(id: string): Promise<ConnectionInfo> {
    const connection = this.get(id);
    await this.backends.close(id);
    this.failures.delete(id);
    try {
      await this.backend(id);
    } finally {
      this.onChange();
    }
    return this.info(connection);
  }

  async close(): Promise<void> {
    await this.backends.closeAll();
  }

  /** A password in a saved config's plain text (a v1 file, a hand edit) moves into secrets. */
  private sealPlaintext(connection: SavedConnection): SavedConnection {
    if (!hasPlaintextSecret(connection.config)) return connection;
    const { config, secrets } = splitSecrets(connection.config);
    return { ...connection, config, secrets: this.vault.apply(connection.secrets ?? {}, secrets) };
  }

  private savedOne(id: string): SavedConnection {
    const connection = this.get(id);
    if (id.startsWith('url:')) {
      throw new AppError(
        'invalid-input',
        'A connection given as a URL is not saved, so it cannot be changed',
      );
    }
    return connection;
  }

  private replace(connection: SavedConnection): void {
    const index = this.connections.findIndex((c) => c.id === connection.id);
    if (index >= 0) this.connections[index] = connection;
    else this.connections.push(connection);
  }

  private persist(connections: SavedConnection[]): Promise<void> {
    return this.store.save(connections);
  }

  private saved(): SavedConnection[] {
    return this.connections.filter((c) => !c.id.startsWith('url:'));
  }

  private uniqueName(wanted: string, exceptId?: string): string {
    const taken = new Set(
      this.connections.filter((c) => c.id !== exceptId).map((c) => c.name.toLowerCase()),
    );
    if (!taken.has(wanted.toLowerCase())) return wanted;
    for (let n = 2; ; n++) {
      const candidate = `${wanted} (${n})`;
      if (!taken.has(candidate.toLowerCase())) return candidate;
    }
  }

  private info(connection: SavedConnection): ConnectionInfo {
    return connectionInfo(
      connection,
      this.statuses.get(connection.id),
      this.failures.get(connection.id),
    );
  }
}
