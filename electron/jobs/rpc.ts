/**
 * A tiny request/response protocol between the main thread and a worker thread. Errors cross as
 * serialized AppErrors so the caller sees the same codes whichever thread failed.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { AppError, isSerializedError, type SerializedError } from '../../shared/errors.js';
import { toAppError } from '../monitor/errors.js';

export interface RpcRequest {
  id: number;
  method: string;
  args: unknown[];
}

export type RpcResponse =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export type RpcHandlers = Record<string, (...args: never[]) => unknown>;

/** Inside a worker: answer requests with `handlers`, one at a time, in order. */
export function serveRpc(handlers: RpcHandlers, port: MessagePort | null = parentPort): void {
  if (!port) throw new Error('serveRpc must run inside a worker thread');
  port.on('message', (request: RpcRequest) => {
    let response: RpcResponse;
    try {
      const handler = handlers[request.method];
      if (!handler) throw new AppError('internal', `Unknown worker method ${request.method}`);
      const value = (handler as (...args: unknown[]) => unknown)(...request.args);
      response = { id: request.id, ok: true, value };
    } catch (error) {
      response = { id: request.id, ok: false, error: toAppError(error).toJSON() };
    }
    port.postMessage(response);
  });
}

export function rpcError(response: { error: unknown }): AppError {
  return isSerializedError(response.error)
    ? AppError.from(response.error)
    : new AppError('internal', 'A worker failed without saying why');
}
