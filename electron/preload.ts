/**
 * The renderer's only door to the main process: `window.strata`, a PreloadBridge generated from
 * the contract. No channel is named here, so one cannot be added without a schema, and neither
 * ipcRenderer nor an IPC event object (whose `sender` is ipcRenderer) ever reaches the page.
 *
 * This runs sandboxed, so esbuild bundles it (and the contract it imports) to CommonJS.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  channelNames,
  eventNames,
  ipcChannelName,
  ipcEventName,
  type EventName,
  type PreloadBridge,
} from '../shared/contract.js';

/** Must match `cancelChannel` and `droppedFileChannel` in ipc.ts (not imported: main-process code). */
const cancelChannel = 'strata:cancel';
const droppedFileChannel = 'strata:dropped-file';

type Ipc = Pick<typeof ipcRenderer, 'invoke' | 'send' | 'on' | 'removeListener'>;
type WebUtils = Pick<typeof webUtils, 'getPathForFile'>;

export function buildBridge(ipc: Ipc, utils: WebUtils): PreloadBridge {
  const channels: Record<string, (input: unknown, callId: number) => Promise<unknown>> = {};
  for (const name of channelNames) {
    const ipcName = ipcChannelName(name);
    channels[name] = (input, callId) => ipc.invoke(ipcName, { callId, input });
  }

  return {
    // The contract types each function; the loop above cannot express that per key.
    channels: channels as PreloadBridge['channels'],
    cancel: (callId) => ipc.send(cancelChannel, callId),
    on: (event, listener) => {
      if (!(eventNames as string[]).includes(event)) {
        throw new TypeError(`Unknown Strata event “${String(event)}”`);
      }
      const channel = ipcEventName(event as EventName);
      // Hand the page the payload only: the IPC event would expose ipcRenderer itself.
      const forward = (_event: unknown, payload: unknown) =>
        (listener as (payload: unknown) => void)(payload);
      ipc.on(channel, forward);
      return () => {
        ipc.removeListener(channel, forward);
      };
    },
    // A sandboxed page cannot see a dropped file's path; Electron's webUtils can — and gives one
    // only for a file the person really dropped or picked, so main may let the window read it.
    pathForFile: (file) => {
      const path = utils.getPathForFile(file as File);
      if (path) ipc.send(droppedFileChannel, path);
      return path;
    },
  };
}

contextBridge.exposeInMainWorld('strata', buildBridge(ipcRenderer, webUtils));
