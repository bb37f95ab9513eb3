/**
 * Builds Strata's services from a data directory. Electron's main process, the web host and the
 * CLI all start here, so each runs the same code; only how calls arrive differs.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  contract,
  type Channel,
  type ChannelOutput,
  type EventName,
  type EventPayload,
  type PickFilePathRequest,
} from '../shared/contract.js';
import { formatDatasetPath } from '../shared/dataset-ref.js';
import { AppError } from '../shared/errors.js';
import { ConnectionManager } from './connections/connection-manager.js';
import { ConnectionOpener } from './connections/connection-opener.js';
import { ConnectionStore } from './connections/connection-store.js';
import { keyFileBox } from './connections/key-file-box.js';
import type { SecretBox } from './connections/secret-box.js';
import { SecretVault } from './connections/secret-vault.js';
import { addDemoConnection, demoExists, demoFileName, generateDemoFile } from './demo/demo.js';
import type { FileAccess } from './file-access.js';
import { createHandlers, type Handlers } from './handlers.js';
import { JobRegistry } from './jobs/job-registry.js';
import { KnownHosts } from './tunnel/known-hosts.js';
import { OperationLog } from './monitor/operation-log.js';

export interface HostOptions {
  dataDir: string;
  pickSqliteFile?: () => Promise<string | null>;
  pickFilePath?: (request: PickFilePathRequest) => Promise<string | null>;
  /** Which files the window may name (the app's; see file-access.ts). All, when absent. */
  fileAccess?: FileAccess;
  /**
   * Encrypts saved secrets: Electron passes one built on safeStorage (the OS keychain). Without
   * it, or where it is unavailable, a key file in the data directory is used (weaker).
   */
  secretBox?: SecretBox;
  /** The ssh_config file tunnels read aliases from; `~/.ssh/config` when absent. */
  sshConfigPath?: string;
  /**
   * The user's known_hosts, read to check SSH host keys; `~/.ssh/known_hosts` when absent. Keys
   * of hosts first seen by Strata go to `ssh_known_hosts` in the data directory instead.
   */
  sshKnownHostsPath?: string;
  /**
   * Sniff files on the main thread. For the CLI: no window waits on it, and the sniff worker's
   * start would only add to every `strata ingest` (measured ~130 ms on the bench's 1M-row file).
   */
  sniffInPlace?: boolean;
}

export type HostListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Host {
  readonly dataDir: string;
  readonly connections: ConnectionManager;
  /** Validates `input` against the channel's schema, then runs it through the operation log. */
  call<C extends Channel>(
    channel: C,
    input: unknown,
    signal?: AbortSignal,
  ): Promise<ChannelOutput<C>>;
  subscribe(listener: HostListener): () => void;
  /** Settles when the demo database, if this start created or resumed one, is ready (or failed). */
  readonly demoReady: Promise<void>;
  close(): Promise<void>;
}

export async function createHost(options: HostOptions): Promise<Host> {
  await fs.mkdir(options.dataDir, { recursive: true });
  const listeners = new Set<HostListener>();
  const emit: HostListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  const vault = new SecretVault([
    ...(options.secretBox ? [options.secretBox] : []),
    keyFileBox(options.dataDir),
  ]);
  const connections = new ConnectionManager({
    store: new ConnectionStore(options.dataDir),
    vault,
    opener: new ConnectionOpener({
      ssh: options.sshConfigPath ? { configPath: options.sshConfigPath } : {},
      knownHosts: new KnownHosts({
        app: path.join(options.dataDir, 'ssh_known_hosts'),
        ...(options.sshKnownHostsPath ? { user: options.sshKnownHostsPath } : {}),
      }),
    }),
    onChange: () => emit('connectionsChanged', {}),
  });
  const jobs = new JobRegistry((progress) => emit('jobProgress', progress));
  const operations = new OperationLog();
  const handlers: Handlers = createHandlers({
    connections,
    vault,
    jobs,
    operations,
    dataDir: options.dataDir,
    emit,
    ...(options.pickSqliteFile ? { pickSqliteFile: options.pickSqliteFile } : {}),
    ...(options.pickFilePath ? { pickFilePath: options.pickFilePath } : {}),
    ...(options.fileAccess ? { fileAccess: options.fileAccess } : {}),
    ...(options.sniffInPlace ? { sniffInPlace: true } : {}),
  });

  const firstStart = await connections.load();
  const demoReady = firstStart
    ? startDemo(options.dataDir, connections, jobs)
    : resumeDemo(options.dataDir, connections, jobs);

  return {
    dataDir: options.dataDir,
    connections,
    call: (channel, input, signal) =>
      operations.op(channel, describeTarget(input), () => {
        const parsed = contract[channel].input.parse(input);
        const handler = handlers[channel] as (
          parsed: unknown,
          signal?: AbortSignal,
        ) => Promise<ChannelOutput<typeof channel>>;
        return reachesStore.has(channel)
          ? noteReachability(connections, input, handler(parsed, signal))
          : handler(parsed, signal);
      }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    demoReady,
    close: async () => {
      jobs.cancelAll();
      await demoReady.catch(() => undefined);
      await connections.close();
    },
  };
}

async function startDemo(
  dataDir: string,
  connections: ConnectionManager,
  jobs: JobRegistry,
  existing?: { connectionId: string; file: string },
): Promise<void> {
  const { connectionId, file } = existing ?? (await addDemoConnection(dataDir, connections));
  const label = 'Generating demo data';
  connections.setStatus(connectionId, { state: 'preparing', label, done: 0, total: 1 });
  const { done } = jobs.run(label, 'rows', (job) =>
    generateDemoFile(file, {
      signal: job.signal,
      progress: (doneRows, total) => {
        job.progress(doneRows, total);
        connections.setStatus(connectionId, { state: 'preparing', label, done: doneRows, total });
      },
    }),
  );
  try {
    await done;
    connections.setStatus(connectionId, { state: 'ready' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    connections.setStatus(connectionId, { state: 'error', message });
    throw error;
  }
}

/**
 * A first start that was stopped mid-way (the app quit, the CLI interrupted) saved the demo
 * connection but never renamed its file into place; without this it would stay broken for good.
 */
async function resumeDemo(
  dataDir: string,
  connections: ConnectionManager,
  jobs: JobRegistry,
): Promise<void> {
  const file = path.join(dataDir, demoFileName);
  const demo = connections.list().find((c) => c.kind === 'sqlite' && c.target === file);
  if (!demo || (await demoExists(file))) return;
  await startDemo(dataDir, connections, jobs, { connectionId: demo.id, file });
}

/** The channels whose outcome says whether a connection's store can be reached. */
const reachesStore = new Set<Channel>([
  'getTree',
  'describeDataset',
  'getPage',
  'countRows',
  'getCell',
  'reconnect',
]);

/**
 * A call on a connection that failed because its store could not be reached marks the connection
 * (the sidebar offers Reconnect); one that worked clears the mark.
 */
async function noteReachability<T>(
  connections: ConnectionManager,
  input: unknown,
  result: Promise<T>,
): Promise<T> {
  const id = connectionIdOf(input);
  if (id === undefined) return result;
  try {
    const value = await result;
    connections.noteReachable(id);
    return value;
  } catch (error) {
    if (error instanceof AppError && error.code === 'unavailable') {
      connections.noteUnavailable(
        id,
        error.hint ? { message: error.message, hint: error.hint } : { message: error.message },
      );
    }
    throw error;
  }
}

function connectionIdOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const record = input as { connectionId?: unknown; ref?: { connectionId?: unknown } };
  const id = record.ref?.connectionId ?? record.connectionId;
  return typeof id === 'string' ? id : undefined;
}

/** What an operation acted on, for the operation log: a connection id or dataset path. */
function describeTarget(input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const record = input as {
    connectionId?: unknown;
    ref?: { connectionId?: unknown; path?: unknown };
  };
  if (record.ref && Array.isArray(record.ref.path)) {
    return `${String(record.ref.connectionId)}#${formatDatasetPath(record.ref.path.map(String))}`;
  }
  return typeof record.connectionId === 'string' ? record.connectionId : '';
}
