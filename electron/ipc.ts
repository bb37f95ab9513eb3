/**
 * Every contract channel on Electron's IPC. A call passes three gates before it reaches a service:
 * the sender must be our own renderer page (not a frame, not a page that navigated elsewhere), the
 * envelope must be `{ callId, input }`, and the input must pass the channel's zod schema (done by
 * the host, through the shared CallRouter, so Electron and the web host behave identically).
 *
 * Electron is passed in rather than imported, so this file runs in plain Node tests.
 */
import path from 'node:path';
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import {
  channelNames,
  ipcChannelName,
  ipcEventName,
  type CallResult,
  type Channel,
} from '../shared/contract.js';
import { AppError } from '../shared/errors.js';
import type { CallRouter } from './call-router.js';
import type { Host } from './host.js';

/** The one channel that is not a contract call: fire-and-forget cancellation by call id. */
export const cancelChannel = 'strata:cancel';
/**
 * The preload reports each file dropped on the window here (its path, which only a real drop
 * gives): the person chose it, so the window may read it (see file-access.ts).
 */
export const droppedFileChannel = 'strata:dropped-file';

const callIdSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const envelopeSchema = z.strictObject({ callId: callIdSchema, input: z.unknown() });

export interface IpcOptions {
  /** The `file://` URL of the renderer's index.html; only that page may call. */
  rendererUrl: string;
  /** The windows' webContents that host events are broadcast to. */
  targets: () => readonly WebContents[];
  /** A file the person dropped on the window, as the preload reports it. */
  onDroppedFile?: (file: string) => void;
}

type SenderEvent = Pick<IpcMainInvokeEvent | IpcMainEvent, 'sender' | 'senderFrame'>;

export function registerIpc(
  ipcMain: IpcMain,
  host: Host,
  router: CallRouter,
  options: IpcOptions,
): () => void {
  const expected = withoutFragment(options.rendererUrl);
  const isTrusted = (event: SenderEvent): boolean => {
    const frame = event.senderFrame;
    // A null frame has navigated away or been destroyed; a frame with a parent is an iframe.
    if (!frame || frame.parent !== null) return false;
    return withoutFragment(frame.url) === expected;
  };

  // A window's calls are keyed by its webContents id; when it goes, so do its in-flight calls.
  const watched = new Map<number, { contents: WebContents; drop: () => void }>();
  const watch = (contents: WebContents): string => {
    const clientId = `win-${contents.id}`;
    if (!watched.has(contents.id)) {
      const drop = () => {
        watched.delete(contents.id);
        router.dropClient(clientId);
      };
      watched.set(contents.id, { contents, drop });
      contents.once('destroyed', drop);
    }
    return clientId;
  };

  const handle = async (
    name: Channel,
    event: IpcMainInvokeEvent,
    message: unknown,
  ): Promise<CallResult<unknown>> => {
    if (!isTrusted(event)) {
      return failure('permission-denied', 'This page may not call Strata.');
    }
    const envelope = envelopeSchema.safeParse(message);
    if (!envelope.success) {
      return failure('invalid-input', 'A call must be { callId: number, input }.');
    }
    const clientId = watch(event.sender);
    return router.handle(clientId, envelope.data.callId, name, envelope.data.input);
  };

  for (const name of channelNames) {
    ipcMain.handle(ipcChannelName(name), (event, message: unknown) => handle(name, event, message));
  }

  const onCancel = (event: IpcMainEvent, callId: unknown): void => {
    const parsed = callIdSchema.safeParse(callId);
    if (!isTrusted(event) || !parsed.success) return;
    router.cancel(`win-${event.sender.id}`, parsed.data);
  };
  ipcMain.on(cancelChannel, onCancel);

  const onDroppedFile = (event: IpcMainEvent, file: unknown): void => {
    if (!isTrusted(event) || typeof file !== 'string' || !path.isAbsolute(file)) return;
    options.onDroppedFile?.(file);
  };
  ipcMain.on(droppedFileChannel, onDroppedFile);

  const unsubscribe = host.subscribe((event, payload) => {
    const channel = ipcEventName(event);
    for (const contents of options.targets()) {
      if (!contents.isDestroyed()) contents.send(channel, payload);
    }
  });

  return () => {
    for (const name of channelNames) ipcMain.removeHandler(ipcChannelName(name));
    ipcMain.removeListener(cancelChannel, onCancel);
    ipcMain.removeListener(droppedFileChannel, onDroppedFile);
    unsubscribe();
    for (const { contents, drop } of watched.values()) {
      contents.removeListener('destroyed', drop);
      drop();
    }
  };
}

function failure(code: 'permission-denied' | 'invalid-input', message: string): CallResult<never> {
  return { ok: false, error: new AppError(code, message).toJSON() };
}

/** In-page navigation (a `#fragment`) does not change which page is calling. */
function withoutFragment(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return '';
  }
}
