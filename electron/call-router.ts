/**
 * Where calls from a renderer (an Electron window or a browser socket) enter the host: the
 * channel is checked against the contract, the call can be cancelled by its caller, and the
 * outcome is returned as a CallResult envelope. Used by ipc.ts and web-host.ts alike.
 */
import { isChannel, type CallResult } from '../shared/contract.js';
import { AppError } from '../shared/errors.js';
import type { Host } from './host.js';
import { toAppError } from './monitor/errors.js';

export class CallRouter {
  private readonly inflight = new Map<string, AbortController>();

  constructor(private readonly host: Host) {}

  async handle(
    clientId: string,
    callId: number | undefined,
    channel: string,
    input: unknown,
  ): Promise<CallResult<unknown>> {
    if (!isChannel(channel)) {
      return {
        ok: false,
        error: new AppError('invalid-input', `Unknown channel “${channel}”`).toJSON(),
      };
    }
    const key = callId === undefined ? undefined : `${clientId}:${callId}`;
    const controller = new AbortController();
    if (key) this.inflight.set(key, controller);
    try {
      const value = await this.host.call(channel, input, controller.signal);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toAppError(error).toJSON() };
    } finally {
      if (key) this.inflight.delete(key);
    }
  }

  cancel(clientId: string, callId: number): void {
    this.inflight.get(`${clientId}:${callId}`)?.abort();
  }

  /** A window closed or a socket dropped: stop everything it was waiting for. */
  dropClient(clientId: string): void {
    for (const [key, controller] of this.inflight) {
      if (key.startsWith(`${clientId}:`)) controller.abort();
    }
  }
}
