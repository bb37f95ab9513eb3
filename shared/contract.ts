/**
 * The IPC contract: every channel between the renderer and the main process is named here once,
 * with the zod schema its input must pass and the type of its output. The preload, the main-side
 * registration, the web host's socket and the renderer's `api` are all derived from this object,
 * so a call that is not listed here cannot be written, and one that is cannot be malformed.
 */
import { z } from 'zod';
import type { SerializedError } from './errors.js';
import {
  datasetRefSchema,
  pageRequestSchema,
  viewSpecSchema,
  type CellDetail,
  type ConnectionInfo,
  type DatasetSchema,
  type JobProgress,
  type Page,
  type TreeNode,
} from './model.js';

/** A channel: its input schema, and its output type carried as a phantom. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  output?: O;
}

function channel<O>() {
  return <I extends z.ZodType>(input: I): ChannelSpec<I, O> => ({ input });
}

const connectionIdSchema = z.object({ connectionId: z.string().min(1).max(200) });

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
  /** Opens the native file chooser; hosts without one (the browser) answer `null`. */
  pickSqliteFile: channel<{ path: string | null }>()(z.object({})),
  cancelJob: channel<{ cancelled: boolean }>()(z.object({ jobId: z.string().min(1).max(200) })),
  listOperations: channel<OperationRecord[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).default(200) }),
  ),
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
