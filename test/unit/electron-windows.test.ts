/**
 * The window and its rules with Electron replaced: the webPreferences a window is created with,
 * what navigation and window.open do, the CSP header and the permission answers.
 */
import type { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../../electron/security-policy.js';

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
) => void;
type OpenHandler = (details: { url: string }) => { action: string };

const fake = vi.hoisted(() => {
  class FakeSession {
    headersListener: HeadersListener | undefined;
    requestHandler: ((...args: unknown[]) => void) | undefined;
    checkHandler: ((...args: unknown[]) => boolean) | undefined;
    webRequest = {
      onHeadersReceived: (listener: HeadersListener) => {
        this.headersListener = listener;
      },
    };
    setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
      this.requestHandler = handler;
    }
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      this.checkHandler = handler;
    }
  }
  return {
    FakeSession,
    windows: [] as { options: BrowserWindowConstructorOptions; loaded: string[] }[],
    openExternal: vi.fn((_url: string) => Promise.resolve()),
    session: undefined as InstanceType<typeof FakeSession> | undefined,
  };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class FakeWebContents extends Emitter {
    openHandler: OpenHandler | undefined;
    session = fake.session;
    setWindowOpenHandler(handler: OpenHandler) {
      this.openHandler = handler;
    }
  }
  class BrowserWindow extends Emitter {
    webContents = new FakeWebContents();
    loaded: string[] = [];
    constructor(options: BrowserWindowConstructorOptions) {
      super();
      fake.windows.push({ options, loaded: this.loaded });
    }
    loadFile(file: string) {
      this.loaded.push(file);
      return Promise.resolve();
    }
    show() {}
  }
  return {
    app: { getAppPath: () => '/opt/strata' },
    BrowserWindow,
    shell: { openExternal: fake.openExternal },
  };
});

const { appFiles, createMainWindow, rendererUrl, safeExternalUrl } =
  await import('../../electron/windows.js');

interface FakeContents extends EventEmitter {
  openHandler: OpenHandler;
}

function newWindow() {
  fake.session = new fake.FakeSession();
  const win = createMainWindow(appFiles('/opt/strata'));
  const created = fake.windows.at(-1);
  if (!created) throw new Error('no window created');
  return { win, created, contents: win.webContents as unknown as FakeContents };
}

function navigate(contents: EventEmitter, name: string, url: string): boolean {
  let prevented = false;
  contents.emit(name, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

beforeEach(() => vi.clearAllMocks());

describe('createMainWindow', () => {
  it('creates a sandboxed, isolated window without Node, with the bundled preload', () => {
    const { created } = newWindow();
    expect(created.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/opt/strata/dist-electron/preload.cjs',
    });
    expect(created.loaded).toEqual(['/opt/strata/dist/renderer/index.html']);
  });

  it('denies navigation away from our page, and hands web links to the system browser', () => {
    const { contents } = newWindow();
    const own = rendererUrl(appFiles('/opt/strata'));
    expect(own).toBe('file:///opt/strata/dist/renderer/index.html');
    expect(navigate(contents, 'will-navigate', `${own}#grid`)).toBe(false);
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'https://example.com/docs')).toBe(true);
    expect(fake.openExternal).toHaveBeenCalledTimes(1);
    expect(fake.openExternal).toHaveBeenCalledWith('https://example.com/docs');
    expect(navigate(contents, 'will-redirect', 'https://example.com/')).toBe(true);
    expect(navigate(contents, 'will-attach-webview', 'about:blank')).toBe(true);
  });

  it('denies window.open, opening only validated http(s) URLs externally', () => {
    const { contents } = newWindow();
    expect(contents.openHandler({ url: 'https://example.com/a?b=c' })).toEqual({ action: 'deny' });
    expect(contents.openHandler({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' });
    expect(contents.openHandler({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.openHandler({ url: 'smb://host/share' })).toEqual({ action: 'deny' });
    expect(fake.openExternal.mock.calls).toEqual([['https://example.com/a?b=c']]);
  });

  it('sets our CSP header on every response, replacing any other', () => {
    newWindow();
    const listener = fake.session?.headersListener;
    if (!listener) throw new Error('no onHeadersReceived listener');
    let answered: Record<string, string | string[]> | undefined;
    listener(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } },
      (response) => (answered = response.responseHeaders),
    );
    expect(answered).toEqual({
      'Content-Security-Policy': [contentSecurityPolicy()],
      'X-Other': ['1'],
    });
    expect(contentSecurityPolicy()).toContain("script-src 'self'");
  });

  it('denies permission requests (clipboard writes aside, for copying cells)', () => {
    newWindow();
    const answers = new Map<string, boolean>();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      fake.session?.requestHandler?.({}, permission, (granted: boolean) =>
        answers.set(permission, granted),
      );
    }
    expect([...answers.values()]).toEqual([false, false, false, false]);
    expect(fake.session?.checkHandler?.({}, 'media')).toBe(false);
  });

  it('hardens a webContents once, so a link is not opened twice', async () => {
    const { win, contents } = newWindow();
    const { hardenWindow } = await import('../../electron/windows.js');
    hardenWindow(win, appFiles('/opt/strata'));
    navigate(contents, 'will-navigate', 'https://example.com/');
    expect(fake.openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('safeExternalUrl', () => {
  it('accepts plain web links and refuses the rest', () => {
    expect(safeExternalUrl('https://strata.dev/help')).toBe('https://strata.dev/help');
    expect(safeExternalUrl('http://example.com')).toBe('http://example.com/');
    expect(safeExternalUrl('https://user:pw@evil.example')).toBeUndefined();
    expect(safeExternalUrl('file:///etc/passwd')).toBeUndefined();
    expect(safeExternalUrl('not a url')).toBeUndefined();
  });
});
