/**
 * The preload with Electron replaced: what it exposes as window.strata, and what each function
 * sends over IPC. The real contract drives it, so a new channel is covered without edits here.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames, eventNames, type PreloadBridge } from '../../shared/contract.js';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn((..._args: unknown[]): Promise<unknown> =>
    Promise.resolve({ ok: true, value: [] }),
  ),
  send: vi.fn(),
  on: vi.fn(),
  removeListener: vi.fn(),
  getPathForFile: vi.fn((_file: unknown) => '/home/me/data.csv'),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: electron.invoke,
    send: electron.send,
    on: electron.on,
    removeListener: electron.removeListener,
  },
  webUtils: { getPathForFile: electron.getPathForFile },
}));

let bridge: PreloadBridge;

beforeAll(async () => {
  await import('../../electron/preload.js');
  bridge = electron.exposed.get('strata') as PreloadBridge;
});

beforeEach(() => vi.clearAllMocks());

describe('preload', () => {
  it('exposes exactly window.strata, and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['strata']);
    expect(Object.keys(bridge).sort()).toEqual(['cancel', 'channels', 'on', 'pathForFile']);
  });

  it('has one function per contract channel, nothing more', () => {
    expect(Object.keys(bridge.channels).sort()).toEqual([...channelNames].sort());
    for (const name of channelNames) expect(typeof bridge.channels[name]).toBe('function');
  });

  it('never exposes ipcRenderer or its methods', () => {
    const values = [bridge, ...Object.values(bridge), ...Object.values(bridge.channels)];
    for (const value of values) {
      expect(value).not.toBe(electron.invoke);
      expect(value).not.toBe(electron.send);
      expect(value).not.toBe(electron.on);
    }
  });

  it('sends a call as {callId, input} on the channel named by the contract', async () => {
    const input = {
      ref: { connectionId: 'c1', path: ['main', 'sales'] },
      offset: 0,
      limit: 10,
      view: { sort: [], filters: [] },
    };
    await bridge.channels.getPage(input, 7);
    expect(electron.invoke).toHaveBeenCalledWith('strata:getPage', { callId: 7, input });
  });

  it('returns what the main process answered', async () => {
    electron.invoke.mockResolvedValueOnce({ ok: true, value: [{ id: 'x' }] });
    await expect(bridge.channels.listConnections({}, 1)).resolves.toEqual({
      ok: true,
      value: [{ id: 'x' }],
    });
  });

  it('cancels by call id', () => {
    bridge.cancel(42);
    expect(electron.send).toHaveBeenCalledWith('strata:cancel', 42);
  });

  it('forwards event payloads only, and unsubscribes', () => {
    const listener = vi.fn();
    const off = bridge.on('connectionsChanged', listener);
    expect(electron.on).toHaveBeenCalledTimes(1);
    const [channel, forward] = electron.on.mock.calls[0] as [string, (...args: unknown[]) => void];
    expect(channel).toBe('strata-event:connectionsChanged');
    const ipcEvent = { sender: { invoke: electron.invoke } };
    forward(ipcEvent, { hello: 1 });
    expect(listener).toHaveBeenCalledWith({ hello: 1 });
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    expect(electron.removeListener).toHaveBeenCalledWith(channel, forward);
  });

  it('subscribes to contract events only', () => {
    for (const name of eventNames) bridge.on(name, () => undefined);
    expect(() => bridge.on('evil' as never, () => undefined)).toThrow(TypeError);
  });

  it('asks webUtils for a dropped file path, and tells main the person chose that file', () => {
    const file = new Blob(['a,b\n']);
    expect(bridge.pathForFile(file)).toBe('/home/me/data.csv');
    expect(electron.getPathForFile).toHaveBeenCalledWith(file);
    expect(electron.send).toHaveBeenCalledWith('strata:dropped-file', '/home/me/data.csv');
  });

  it('reports nothing for a blob the page made itself (webUtils gives it no path)', () => {
    electron.getPathForFile.mockReturnValueOnce('');
    expect(bridge.pathForFile(new Blob(['made up']))).toBe('');
    expect(electron.send).not.toHaveBeenCalled();
  });
});
