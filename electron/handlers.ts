/**
 * What each contract channel does. Handlers receive input the contract's schema has already
 * parsed, and throw AppErrors; timing, logging and error translation happen once, in host.ts.
 */
import path from 'node:path';
import type {
  Channel,
  ChannelOutput,
  EventName,
  EventPayload,
  ParsedInput,
  PickFilePathRequest,
  TestDraft,
} from '../shared/contract.js';
import { AppError } from '../shared/errors.js';
import { configFromUrl } from './backends/registry.js';
import { publicConfig, splitSecrets } from './connections/connection-config.js';
import type { ConnectionManager } from './connections/connection-manager.js';
import type { SecretVault } from './connections/secret-vault.js';
import { DiffService } from './diff/service.js';
import type { FileAccess, FileMode } from './file-access.js';
import { IngestService } from './ingest/service.js';
import type { JobRegistry } from './jobs/job-registry.js';
import type { OperationLog } from './monitor/operation-log.js';
import { VersionsService } from './versions/service.js';

export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>, signal?: AbortSignal) => Promise<ChannelOutput<C>>;
};

export interface HandlerDeps {
  connections: ConnectionManager;
  vault: SecretVault;
  jobs: JobRegistry;
  operations: OperationLog;
  /** Strata's data directory: the versioning store lives in its `versions/` folder. */
  dataDir: string;
  /** The native file chooser, where the host has one. */
  pickSqliteFile?: () => Promise<string | null>;
  /** The native open/save dialog for other files, where the host has one. */
  pickFilePath?: (request: PickFilePathRequest) => Promise<string | null>;
  /** Which files the window may name; every path when absent (the CLI, the web host). */
  fileAccess?: FileAccess;
  /** Pushes an event to every window (uploads announce their end with `ingestFinished`). */
  emit?: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Sniff on the main thread (see HostOptions.sniffInPlace). */
  sniffInPlace?: boolean;
}

export function createHandlers({
  connections,
  vault,
  jobs,
  operations,
  dataDir,
  pickSqliteFile,
  pickFilePath,
  fileAccess,
  emit,
  sniffInPlace,
}: HandlerDeps): Handlers {
  const allow = async (file: string, mode: FileMode) => fileAccess?.allow(file, mode);
  /** The files a connection form names: a SQLite file, a folder's root, an SSH key. */
  const allowDraftFiles = async (draft: TestDraft) => {
    const { config, tunnel } = draft;
    const named = [
      config.kind === 'sqlite' ? config.path : undefined,
      config.kind === 'files' ? config.root : undefined,
      tunnel?.privateKeyPath,
    ];
    for (const file of named)
      if (typeof file === 'string' && file !== '') await allow(file, 'read');
  };
  // For reading only. A channel that changes a store (upload, restore, delete…) must get its
  // backend from connections.writableBackend(id): the one place a read-only connection is refused.
  const backendOf = (connectionId: string) => connections.backend(connectionId);
  // Uploads write through connections.writableBackend (see electron/ingest/service.ts).
  const ingest = new IngestService({
    connections,
    jobs,
    ...(sniffInPlace ? { sniffInPlace } : {}),
    ...(emit ? { emitFinished: (status) => emit('ingestFinished', status) } : {}),
  });
  // Restores write through connections.writableBackend (see electron/versions/service.ts).
  const versions = new VersionsService({
    dataDir,
    connections,
    jobs,
    ...(emit ? { emitFinished: (status) => emit('snapshotFinished', status) } : {}),
  });
  const diffs = new DiffService({
    dataDir,
    connections,
    jobs,
    ...(emit ? { emitFinished: (status) => emit('diffFinished', status) } : {}),
  });
  return {
    listConnections: async () => connections.list(),
    getTree: async ({ connectionId }, signal) => (await backendOf(connectionId)).tree({ signal }),
    describeDataset: async ({ ref }, signal) =>
      (await backendOf(ref.connectionId)).describe(ref.path, { signal }),
    getPage: async ({ ref, view, offset, limit }, signal) =>
      (await backendOf(ref.connectionId)).page(ref.path, view, offset, limit, { signal }),
    countRows: async ({ ref, view }, signal) => ({
      count: await (await backendOf(ref.connectionId)).count(ref.path, view, { signal }),
    }),
    getCell: async ({ ref, view, row, column }, signal) =>
      (await backendOf(ref.connectionId)).cell(ref.path, view, row, column, { signal }),
    addSqliteConnection: async ({ path: file, name, readOnly }) => {
      await allow(file, 'read');
      return connections.add({
        name: name ?? path.basename(file).replace(/\.(sqlite3?|db3?)$/i, ''),
        config: { kind: 'sqlite', path: path.resolve(file) },
        readOnly,
      });
    },
    removeConnection: async ({ connectionId }) => ({
      removed: await connections.remove(connectionId),
    }),
    parseConnectionUrl: async ({ url }) => {
      // No environment: a pasted URL must not pick up this process's PGPASSWORD and the like.
      const parsed = configFromUrl(url, {});
      if (!parsed) {
        throw new AppError(
          'invalid-input',
          'Strata does not recognise this URL',
          'Paste a URL such as postgres://user@host:5432/db, mysql://…, or sqlite:/path/to/file.db.',
        );
      }
      const { config, secrets } = splitSecrets(parsed);
      return {
        kind: config.kind,
        config: publicConfig(config),
        hasPassword: Object.keys(secrets).length > 0,
      };
    },
    testConnection: async ({ draft }) => {
      await allowDraftFiles(draft);
      return connections.test(draft);
    },
    saveConnection: async (draft) => {
      await allowDraftFiles(draft);
      return connections.save(draft);
    },
    duplicateConnection: async ({ connectionId }) => connections.duplicate(connectionId),
    reconnect: async ({ connectionId }) => connections.reconnect(connectionId),
    getSecretStorage: async () =>
      vault.sealer.id === 'safe-storage'
        ? {
            protection: 'os-keychain',
            note: 'Passwords and keys are encrypted with the OS keychain.',
          }
        : {
            protection: 'key-file',
            note: 'Passwords and keys are encrypted with a key file in Strata’s data folder: weaker than the OS keychain, since anyone who can read that folder can decrypt them.',
          },
    pickSqliteFile: async () => ({ path: pickSqliteFile ? await pickSqliteFile() : null }),
    pickFilePath: async (request) => ({ path: pickFilePath ? await pickFilePath(request) : null }),
    cancelJob: async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    listOperations: async ({ limit }) => operations.list(limit),
    sniffFile: async (request) => {
      await allow(request.path, 'read');
      return ingest.sniff(request);
    },
    startIngest: async ({ plan }) => {
      await allow(plan.file, 'read');
      if (plan.rejectsPath) await allow(plan.rejectsPath, 'write');
      return ingest.start(plan);
    },
    getIngestResult: ({ jobId, wait }) => ingest.result(jobId, wait),
    createSnapshot: (input) => versions.createSnapshot(input),
    listSnapshots: (filter) => versions.list(filter),
    restoreSnapshot: (input) => versions.restoreSnapshot(input),
    getVersionsJob: ({ jobId, wait }) => versions.jobResult(jobId, wait),
    verifyStore: (_input, signal) => versions.verify(signal),
    deleteSnapshot: ({ snapshotId }) => versions.delete(snapshotId),
    collectGarbage: () => versions.collectGarbage(),
    exportSnapshot: async ({ snapshotId, file }) => {
      await allow(file, 'write');
      return versions.export(snapshotId, path.resolve(file));
    },
    importSnapshot: async ({ file }) => {
      await allow(file, 'read');
      return versions.import(path.resolve(file));
    },
    storageUse: () => versions.storageUse(),
    startDiff: async (input) => {
      for (const side of [input.a, input.b])
        if (side.kind === 'csv') await allow(side.file, 'read');
      return diffs.start(input);
    },
    getDiffJob: ({ jobId, wait }) => diffs.jobResult(jobId, wait),
    getDiffPage: (request) => diffs.page(request),
    findChange: (request) => diffs.findChange(request),
    exportDiff: async (input) => {
      await allow(input.file, 'write');
      return diffs.export(input);
    },
    closeDiff: ({ diffId }) => diffs.close(diffId),
  };
}
