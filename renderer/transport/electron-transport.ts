/** The transport inside Electron: the preload's `window.strata` bridge, one function per channel. */
import type { CallResult, PreloadBridge } from '../../shared/contract';
import type { Transport } from './transport';

declare global {
  interface Window {
    strata?: PreloadBridge;
  }
}

export function electronBridge(): PreloadBridge | undefined {
  return typeof window !== 'undefined' ? window.strata : undefined;
}

export function createElectronTransport(bridge: PreloadBridge): Transport {
  return {
    call: (channel, input, callId) => {
      // The bridge is typed per channel; the generic client has already typed the input.
      const send = bridge.channels[channel] as (
        input: unknown,
        callId: number,
      ) => Promise<CallResult<unknown>>;
      return send(input, callId);
    },
    cancel: (callId) => bridge.cancel(callId),
    on: (event, listener) => bridge.on(event, listener),
    connected: true,
    onConnectionChange: () => () => undefined,
  };
}
