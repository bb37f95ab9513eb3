/**
 * The transport in a browser: the web host's WebSocket (`shared/wire.ts`). The HttpOnly cookie the
 * host set when the page loaded authorises the socket, so no token is handled here. When the socket
 * drops it reconnects with backoff; calls made meanwhile wait for it, and calls that were in flight
 * fail with `unavailable` (their result would never arrive).
 */
import type { CallResult, Channel, EventName } from '../../shared/contract';
import { serverMessageSchema, webSocketPath, type ClientMessage } from '../../shared/wire';
import { isSerializedError } from '../../shared/errors';
import type { Transport } from './transport';

const maxBackoffMs = 5_000;

export function createSocketTransport(url = `ws://${location.host}${webSocketPath}`): Transport {
  const pending = new Map<number, (result: CallResult<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let queue: ClientMessage[] = [];
  let socket: WebSocket | undefined;
  let connected = false;
  let attempt = 0;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const listener of connectionListeners) listener(value);
  };

  const send = (message: ClientMessage) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    else if (message.type === 'call') queue.push(message);
  };

  const onMessage = (data: unknown) => {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'event') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      return;
    }
    const resolve = pending.get(message.id);
    if (!resolve) return;
    pending.delete(message.id);
    const result = message.result;
    if (result.ok) resolve({ ok: true, value: result.value });
    else if (isSerializedError(result.error)) resolve({ ok: false, error: result.error });
    else resolve({ ok: false, error: { code: 'internal', message: result.error.message } });
  };

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setConnected(true);
      const waiting = queue;
      queue = [];
      for (const message of waiting) ws.send(JSON.stringify(message));
    };
    ws.onmessage = (event) => onMessage(event.data);
    ws.onclose = () => {
      setConnected(false);
      // Results for calls sent on this socket will never come; say so instead of hanging.
      for (const [id, resolve] of pending) {
        if (!queue.some((m) => m.type === 'call' && m.id === id)) {
          pending.delete(id);
          resolve({
            ok: false,
            error: {
              code: 'unavailable',
              message: 'Lost the connection to Strata',
              hint: 'Retry.',
            },
          });
        }
      }
      const delay = Math.min(maxBackoffMs, 250 * 2 ** attempt++);
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    call: (channel: Channel, input: unknown, callId: number) =>
      new Promise<CallResult<unknown>>((resolve) => {
        pending.set(callId, resolve);
        send({ type: 'call', id: callId, channel, input });
      }),
    cancel: (callId) => {
      queue = queue.filter((m) => !(m.type === 'call' && m.id === callId));
      const resolve = pending.get(callId);
      if (resolve && !connected) {
        pending.delete(callId);
        resolve({ ok: false, error: { code: 'cancelled', message: 'Cancelled' } });
      }
      send({ type: 'cancel', id: callId });
    },
    on: (event: EventName, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    get connected() {
      return connected;
    },
    onConnectionChange: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}
