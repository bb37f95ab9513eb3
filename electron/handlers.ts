/**
 * What each contract channel does. Handlers receive input the contract's schema has already
 * parsed, and throw AppErrors; timing, logging and error translation happen once, in host.ts.
 */
import path from 'node:path';
import type { Channel, ChannelOutput, ParsedInput } from '../shared/contract.js';
import type { ConnectionManager } from './connections/connection-manager.js';
import type { JobRegistry } from './jobs/job-registry.js';
import type { OperationLog } from './monitor/operation-log.js';

export type Handlers = {
  [C in Channel]: (input: ParsedInput<C>, signal?: AbortSignal) => Promise<ChannelOutput<C>>;
};

export interface HandlerDeps {
  connections: ConnectionManager;
  jobs: JobRegistry;
  operations: OperationLog;
  /** The native file chooser, where the host has one. */
  pickSqliteFile?: () => Promise<string | null>;
}

export function createHandlers({ connections, jobs, operations, pickSqliteFile }: HandlerDeps): Handlers {
  const backendOf = (connectionId: string) => connections.backend(connectionId);
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
    addSqliteConnection: async ({ path: file, name, readOnly }) =>
      connections.add({
        name: name ?? path.basename(file).replace(/\.(sqlite3?|db3?)$/i, ''),
        config: { kind: 'sqlite', path: path.resolve(file) },
        readOnly,
      }),
    removeConnection: async ({ connectionId }) => ({ removed: await connections.remove(connectionId) }),
    pickSqliteFile: async () => ({ path: pickSqliteFile ? await pickSqliteFile() : null }),
    cancelJob: async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    listOperations: async ({ limit }) => operations.list(limit),
  };
}
