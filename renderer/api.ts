/**
 * The renderer's only way to the main process: `api.getPage({...})` and friends, one typed async
 * function per contract channel, built by iterating `channelNames` so a channel is never listed
 * here by hand. Results arrive as `CallResult`s and are unwrapped: failures throw an `AppError`
 * with the host's code, message and hint. Aborting `options.signal` cancels the call in the host.
 */
import {
  channelNames,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  type CallOptions,
  type EventName,
  type EventPayload,
  type StrataApi,
  type StrataEvents,
} from '../shared/contract';
import { AppError } from '../shared/errors';
import { createElectronTransport, electronBridge } from './transport/electron-transport';
import { createSocketTransport } from './transport/socket-transport';
import type { Transport } from './transport/transport';

export type Api = StrataApi & StrataEvents;

export function createApi(transport: Transport): Api {
  let nextCallId = 1;

  async function call<C extends Channel>(
    channel: C,
    input: ChannelInput<C>,
    options?: CallOptions,
  ): Promise<ChannelOutput<C>> {
    const signal = options?.signal;
    if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
    const callId = nextCallId++;
    const onAbort = () => transport.cancel(callId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await transport.call(channel, input, callId);
      if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
      if (!result.ok) throw AppError.from(result.error);
      // The host produced this value for this channel; the contract fixes its type.
      return result.value as ChannelOutput<C>;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  const client: Partial<Record<Channel, unknown>> = {};
  for (const name of channelNames) {
    client[name] = (input: ChannelInput<typeof name>, options?: CallOptions) =>
      call(name, input, options);
  }
  const on = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) =>
    transport.on(event, (payload) => listener(payload as EventPayload<E>));
  return { ...(client as StrataApi), on };
}

function chooseTransport(): Transport {
  const bridge = electronBridge();
  return bridge ? createElectronTransport(bridge) : createSocketTransport();
}

export const transport: Transport = chooseTransport();
export const api: Api = createApi(transport);
/** Whether this window can show a native file chooser and read dropped files' paths. */
export const isElectron = electronBridge() !== undefined;

export function pathForDroppedFile(file: File): string | undefined {
  const path = electronBridge()?.pathForFile(file);
  return path && path.length > 0 ? path : undefined;
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', error instanceof Error ? error.message : String(error));
}

export function isCancelled(error: unknown): boolean {
  return error instanceof AppError && error.code === 'cancelled';
}
