/**
 * ipc.ts against a real host (on an empty data directory) with ipcMain replaced by an emitter:
 * the sender check, the envelope check, input validation, routing, cancellation, events, and
 * cleanup when a window goes.
 */
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcMain, WebContents } from 'electron';
import { channelNames, type CallResult } from '../../shared/contract.js';
import { CallRouter } from '../../electron/call-router.js';
import { createHost, type Host } from '../../electron/host.js';

// ipc.ts takes Electron as arguments; the mock proves it never reaches for the real module.
vi.mock('electron', () => {
  throw new Error('ipc.ts must not import electron at run time');
});

const { registerIpc, cancelChannel, droppedFileChannel } = await import('../../electron/ipc.js');

const rendererUrl = 'file:///opt/strata/dist/renderer/index.html';

type Handler = (event: unknown, message: unknown) => Promise<CallResult<unknown>>;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler) {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

class FakeContents extends EventEmitter {
  readonly sent: [string, unknown][] = [];
  destroyed = false;
  constructor(readonly id: number) {
    super();
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

function senderEvent(contents: FakeContents, url = rendererUrl, parent: unknown = null) {
  return { sender: contents, senderFrame: url === '' ? null : { url, parent } };
}

let dataDir: string;
let host: Host;
let router: CallRouter;
let ipc: FakeIpcMain;
let window1: FakeContents;
let unregister: () => void;
const dropped = vi.fn();

async function call(event: unknown, channel: string, message: unknown) {
  const handler = ipc.handlers.get(`strata:${channel}`);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, message);
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-ipc-'));
  // A saved (empty) connection list means "not a first start": no 1M-row demo is generated.
  await fs.writeFile(
    path.join(dataDir, 'connections.json'),
    JSON.stringify({ version: 1, connections: [] }),
  );
  host = await createHost({ dataDir });
  router = new CallRouter(host);
  ipc = new FakeIpcMain();
  window1 = new FakeContents(1);
  unregister = registerIpc(ipc as unknown as IpcMain, host, router, {
    rendererUrl,
    targets: () => [window1 as unknown as WebContents],
    onDroppedFile: dropped,
  });
});

afterAll(async () => {
  await host?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('registerIpc', () => {
  it('handles every contract channel, each under its contract name', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(channelNames.map((n) => `strata:${n}`).sort());
  });

  it('routes a good call to the host', async () => {
    const result = await call(senderEvent(window1), 'listConnections', { callId: 1, input: {} });
    expect(result).toEqual({ ok: true, value: [] });
  });

  it('accepts our page with a #fragment', async () => {
    const event = senderEvent(window1, `${rendererUrl}#/browse`);
    const result = await call(event, 'listConnections', { callId: 2, input: {} });
    expect(result.ok).toBe(true);
  });

  it.each([
    ['another page', 'https://evil.example/'],
    ['another local file', 'file:///tmp/evil.html'],
    ['a destroyed frame', ''],
  ])('rejects a call from %s', async (_label, url) => {
    const result = await call(senderEvent(window1, url), 'listConnections', {
      callId: 3,
      input: {},
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
  });

  it('rejects a call from an iframe, even one showing our page', async () => {
    const event = senderEvent(window1, rendererUrl, { url: rendererUrl });
    const result = await call(event, 'listConnections', { callId: 4, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'permission-denied' } });
  });

  it.each([
    ['no envelope', undefined],
    ['a bare input', {}],
    ['a string call id', { callId: '5', input: {} }],
    ['a fractional call id', { callId: 1.5, input: {} }],
    ['extra keys', { callId: 5, input: {}, channel: 'removeConnection' }],
  ])('rejects %s', async (_label, message) => {
    const result = await call(senderEvent(window1), 'listConnections', message);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('validates the input against the channel schema', async () => {
    const result = await call(senderEvent(window1), 'getPage', {
      callId: 6,
      input: { ref: { connectionId: 'x', path: [] }, offset: -1, limit: 'lots' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('cancels a call by id for its own window only', () => {
    const cancel = vi.spyOn(router, 'cancel');
    ipc.emit(cancelChannel, senderEvent(window1), 9);
    ipc.emit(cancelChannel, senderEvent(window1, 'https://evil.example/'), 9);
    ipc.emit(cancelChannel, senderEvent(window1), 'nine');
    expect(cancel.mock.calls).toEqual([['win-1', 9]]);
    cancel.mockRestore();
  });

  it('takes dropped files from our page only, as absolute paths', () => {
    ipc.emit(droppedFileChannel, senderEvent(window1), '/home/me/sales.csv');
    ipc.emit(droppedFileChannel, senderEvent(window1, 'https://evil.example/'), '/etc/passwd');
    ipc.emit(droppedFileChannel, senderEvent(window1, rendererUrl, {}), '/etc/shadow');
    ipc.emit(droppedFileChannel, senderEvent(window1), 'relative.csv');
    ipc.emit(droppedFileChannel, senderEvent(window1), { path: '/x' });
    expect(dropped.mock.calls).toEqual([['/home/me/sales.csv']]);
  });

  it('broadcasts host events to the windows', async () => {
    const dbFile = path.join(dataDir, 'empty.sqlite');
    await fs.writeFile(dbFile, '');
    window1.sent.length = 0;
    const added = await call(senderEvent(window1), 'addSqliteConnection', {
      callId: 10,
      input: { path: dbFile },
    });
    expect(added.ok).toBe(true);
    expect(window1.sent).toContainEqual(['strata-event:connectionsChanged', {}]);
  });

  it("drops a window's in-flight calls when it is destroyed", async () => {
    const window2 = new FakeContents(2);
    await call(senderEvent(window2), 'listConnections', { callId: 1, input: {} });
    const drop = vi.spyOn(router, 'dropClient');
    window2.destroyed = true;
    window2.emit('destroyed');
    expect(drop).toHaveBeenCalledWith('win-2');
    drop.mockRestore();
  });

  it('unregisters everything', () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
    expect(ipc.listenerCount(cancelChannel)).toBe(0);
    expect(ipc.listenerCount(droppedFileChannel)).toBe(0);
    expect(window1.listenerCount('destroyed')).toBe(0);
  });
});
