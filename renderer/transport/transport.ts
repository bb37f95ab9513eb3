/**
 * What `api.ts` needs from a way of reaching the main process: send a call and get its
 * `CallResult`, cancel it by id, and listen to pushed events. Electron's preload and the web host's
 * socket both fit behind this, so the typed client is written once.
 */
import type { CallResult, Channel, EventName } from '../../shared/contract';

export interface Transport {
  call(channel: Channel, input: unknown, callId: number): Promise<CallResult<unknown>>;
  cancel(callId: number): void;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** Whether the transport can reach the host right now; Electron's IPC always can. */
  readonly connected: boolean;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}
