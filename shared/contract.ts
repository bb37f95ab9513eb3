/**
 * The IPC contract: every channel between the renderer and the main process is named here once,
 * with the zod schema its input must pass and the type of its output. The preload, the main-side
 * registration, the web host's socket and the renderer's `api` are all derived from this object,
 * so a call that is not listed here cannot be written, and one that is cannot be malformed.
 */
import { z } from 'zod';
import type { SerializedError } from './errors.js';
import {
  ingestPlanSchema,
  sniffRequestSchema,
  type IngestStatus,
  type SniffResult,
} from './ingest.js';
import {
  connectionKinds,
  datasetRefSchema,
  pageRequestSchema,
  sshTunnelSchema,
  viewSpecSchema,
  type CellDetail,
  type ConnectionInfo,
  type ConnectionKind,
  type PublicConnectionConfig,
  type DatasetSchema,
  type JobProgress,
  type Page,
  type TreeNode,
} from './model.js';
import {
  createSnapshotSchema,
  exportSnapshotSchema,
  importSnapshotSchema,
  listSnapshotsSchema,
  restoreSnapshotSchema,
  snapshotIdInputSchema,
  versionsJobSchema,
  type ExportResult,
  type GcReport,
  type ImportResult,
  type SnapshotInfo,
  type StorageUse,
  type VerifyReport,
  type VersionsJobStatus,
} from './versions.js';
import {
  closeDiffSchema,
  diffJobSchema,
  diffPageSchema,
  exportDiffSchema,
  findChangeSchema,
  startDiffSchema,
  type DiffExportResult,
  type DiffJobStatus,
  type DiffPage,
} from './diff.js';

/** A channel: its input schema, and its output type carried as a phantom. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  output?: O;
}

function channel<O>() {
  return <I extends z.ZodType>(input: I): ChannelSpec<I, O> => ({ input });
}

const connectionIdSchema = z.object({ connectionId: z.string().min(1).max(200) });

export const pickFilePathSchema = z.object({
  mode: z.enum(['open', 'save']),
  title: z.string().min(1).max(200),
  /** The file name (or path) the dialog starts on. */
  defaultPath: z.string().max(4096).optional(),
  /** File name extensions offered, without the dot. */
  extensions: z.array(z.string().min(1).max(20)).max(10).optional(),
});
export type PickFilePathRequest = z.infer<typeof pickFilePathSchema>;

/** Every secret a connection can hold. Their values go in, are encrypted, and never come out. */
export const secretNames = [
  'password',
  'secretAccessKey',
  'sshPassword',
  'sshPrivateKey',
  'sshPassphrase',
] as const;
export type SecretName = (typeof secretNames)[number];

/** A secret in a save or a test: a string sets it, `null` clears it, absent keeps the saved one. */
const secretInput = z.string().max(65_536).nullable().optional();
export const secretsInputSchema = z.object({
  password: secretInput,
  secretAccessKey: secretInput,
  sshPassword: secretInput,
  sshPrivateKey: secretInput,
  sshPassphrase: secretInput,
});
export type SecretsInput = z.infer<typeof secretsInputSchema>;

/**
 * An engine configuration as the form sends it. Only its outline is checked here (shared code
 * cannot see the engines); the main process parses it with the registry's connectionConfigSchema.
 */
export const draftConfigSchema = z
  .object({ kind: z.enum(connectionKinds) })
  .catchall(z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]));
export type DraftConfig = z.infer<typeof draftConfigSchema>;

const draftFields = {
  /** The saved connection being edited or tested: its saved secrets fill those left absent. */
  id: z.string().min(1).max(200).optional(),
  readOnly: z.boolean().default(false),
  config: draftConfigSchema,
  secrets: secretsInputSchema.default({}),
  tunnel: sshTunnelSchema.optional(),
};
export const connectionDraftSchema = z.object({
  ...draftFields,
  name: z.string().trim().min(1).max(200),
});
export type ConnectionDraft = z.infer<typeof connectionDraftSchema>;
export const testDraftSchema = z.object({
  ...draftFields,
  name: z.string().trim().max(200).optional(),
});
export type TestDraft = z.infer<typeof testDraftSchema>;

export interface ParsedConnectionUrl {
  kind: ConnectionKind;
  /** The URL's settings without its password, ready for the form. */
  config: PublicConnectionConfig;
  /** The URL carries a password; the form keeps it from the URL text it already has. */
  hasPassword: boolean;
}

export interface ConnectionTestResult {
  ok: true;
  /** How long connecting and a first round trip took, tunnel included. */
  latencyMs: number;
  serverVersion?: string;
}

export interface SecretStorageInfo {
  /** `os-keychain`: Electron's safeStorage. `key-file`: a key beside the data, weaker. */
  protection: 'os-keychain' | 'key-file';
  note: string;
}

export interface OperationRecord {
  id: number;
  name: string;
  target: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  error?: string;
}

export const contract = {
  listConnections: channel<ConnectionInfo[]>()(z.object({})),
  getTree: channel<TreeNode[]>()(connectionIdSchema),
  describeDataset: channel<DatasetSchema>()(z.object({ ref: datasetRefSchema })),
  getPage: channel<Page>()(pageRequestSchema),
  countRows: channel<{ count: number }>()(
    z.object({ ref: datasetRefSchema, view: viewSpecSchema }),
  ),
  getCell: channel<CellDetail>()(
    z.object({
      ref: datasetRefSchema,
      view: viewSpecSchema,
      row: z.number().int().min(0),
      column: z.string().min(1),
    }),
  ),
  addSqliteConnection: channel<ConnectionInfo>()(
    z.object({
      path: z.string().min(1).max(4096),
      name: z.string().trim().min(1).max(200).optional(),
      /** Accept a file Strata cannot write to, and never write to it. */
      readOnly: z.boolean().default(false),
    }),
  ),
  removeConnection: channel<{ removed: boolean }>()(connectionIdSchema),
  parseConnectionUrl: channel<ParsedConnectionUrl>()(
    z.object({ url: z.string().trim().min(1).max(4096) }),
  ),
  /** Connects with a draft (through its tunnel, if any) and disconnects; nothing is saved. */
  testConnection: channel<ConnectionTestResult>()(z.object({ draft: testDraftSchema })),
  /** Creates (no `id`) or updates a saved connection. Does not connect: Test does. */
  saveConnection: channel<ConnectionInfo>()(connectionDraftSchema),
  duplicateConnection: channel<ConnectionInfo>()(connectionIdSchema),
  /** Closes the connection's backend (and tunnel) and opens it again. */
  reconnect: channel<ConnectionInfo>()(connectionIdSchema),
  getSecretStorage: channel<SecretStorageInfo>()(z.object({})),
  /** Opens the native file chooser; hosts without one (the browser) answer `null`. */
  pickSqliteFile: channel<{ path: string | null }>()(z.object({})),
  /** A native open or save dialog for any file (exports, imports); `null` without one. */
  pickFilePath: channel<{ path: string | null }>()(pickFilePathSchema),
  cancelJob: channel<{ cancelled: boolean }>()(z.object({ jobId: z.string().min(1).max(200) })),
  listOperations: channel<OperationRecord[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).default(200) }),
  ),
  /** Upload, step 1: a CSV file's encoding, dialect, column types and first rows. */
  sniffFile: channel<SniffResult>()(sniffRequestSchema),
  /** Upload, step 2: loads the file as planned, as a job (progress: `jobProgress`, in bytes). */
  startIngest: channel<{ jobId: string }>()(z.object({ plan: ingestPlanSchema })),
  /** An upload's progress (rows, rate, time left), then its summary and validation report. */
  getIngestResult: channel<IngestStatus>()(
    z.object({
      jobId: z.string().min(1).max(200),
      /** Answer once the upload has ended. */
      wait: z.boolean().default(false),
    }),
  ),
  /** Versions: snapshots a dataset into the local store, as a job (progress in rows). */
  createSnapshot: channel<{ jobId: string }>()(createSnapshotSchema),
  /** Every snapshot (of one connection, or one dataset), oldest first. */
  listSnapshots: channel<SnapshotInfo[]>()(listSnapshotsSchema),
  /** Restores a snapshot into any writable store, as a new dataset or replacing one; a job. */
  restoreSnapshot: channel<{ jobId: string }>()(restoreSnapshotSchema),
  /** A snapshot or restore job's status; with `wait`, its outcome. */
  getVersionsJob: channel<VersionsJobStatus>()(versionsJobSchema),
  /** Re-hashes every object and checks every manifest. */
  verifyStore: channel<VerifyReport>()(z.object({})),
  /** Removes a snapshot's manifest; `collectGarbage` frees the chunks nothing else uses. */
  deleteSnapshot: channel<{ deleted: string }>()(snapshotIdInputSchema),
  collectGarbage: channel<GcReport>()(z.object({})),
  exportSnapshot: channel<ExportResult>()(exportSnapshotSchema),
  importSnapshot: channel<ImportResult>()(importSnapshotSchema),
  storageUse: channel<StorageUse>()(z.object({})),
  /** Diff: compares two sides (snapshot, dataset, CSV) as a job (progress in rows read). */
  startDiff: channel<{ jobId: string }>()(startDiffSchema),
  /** A diff job's status; once done, its summary (whose `diffId` the calls below take). */
  getDiffJob: channel<DiffJobStatus>()(diffJobSchema),
  /** A page of a finished diff's changes, in key order, optionally only some kinds or columns. */
  getDiffPage: channel<DiffPage>()(diffPageSchema),
  /** The next or previous change matching the filter, by its index; `null` past the end. */
  findChange: channel<{ index: number | null }>()(findChangeSchema),
  /** Writes the changes as CSV, JSON Lines, or SQL statements that turn A into B. */
  exportDiff: channel<DiffExportResult>()(exportDiffSchema),
  /** Frees a diff's stored changes. */
  closeDiff: channel<{ closed: boolean }>()(closeDiffSchema),
} satisfies Record<string, ChannelSpec>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (defaults not yet applied). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives, after the schema has parsed it. */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = NonNullable<Contract[C]['output']>;

export const channelNames = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Events the main process pushes to every window. */
function event<P>(): { payload?: P } {
  return {};
}

export const events = {
  jobProgress: event<JobProgress>(),
  connectionsChanged: event<Record<string, never>>(),
  /** An upload ended: loaded, rejected, checked, failed or cancelled, with its summary. */
  ingestFinished: event<IngestStatus>(),
  /** A snapshot or restore ended: done, failed or cancelled. */
  snapshotFinished: event<VersionsJobStatus>(),
  /** A diff ended: done (with its summary), failed or cancelled. */
  diffFinished: event<DiffJobStatus>(),
};
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = NonNullable<(typeof events)[E]['payload']>;
export const eventNames = Object.keys(events) as EventName[];

export interface CallOptions {
  /** Aborting cancels the call in the main process too (a running query is interrupted). */
  signal?: AbortSignal;
}

/** The renderer's view of the main process: one async function per channel, plus events. */
export type StrataApi = {
  [C in Channel]: (input: ChannelInput<C>, options?: CallOptions) => Promise<ChannelOutput<C>>;
};

/**
 * How a call's outcome crosses a process boundary. Errors travel as data, because Electron's
 * `invoke` would reduce a thrown error to its message.
 */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };
export interface StrataEvents {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The name a channel has on Electron's IPC. */
export const ipcChannelName = (channelName: Channel): string => `strata:${channelName}`;
export const ipcEventName = (eventName: EventName): string => `strata-event:${eventName}`;

/**
 * What Electron's preload exposes to the renderer as `window.strata`: one function per contract
 * channel (generated from `channelNames`), cancellation by call id, events, and, for drag and
 * drop, the path of a dropped file (Electron's `webUtils.getPathForFile`).
 */
export interface PreloadBridge {
  channels: {
    [C in Channel]: (
      input: ChannelInput<C>,
      callId: number,
    ) => Promise<CallResult<ChannelOutput<C>>>;
  };
  cancel(callId: number): void;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  pathForFile(file: Blob): string;
}
