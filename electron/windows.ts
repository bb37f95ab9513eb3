/**
 * Strata's window and the rules every page lives under. A renderer bug (say, a cell value that
 * slipped into HTML) must not become code execution: so the page is sandboxed and isolated from
 * the preload, cannot navigate or open windows, runs under a strict CSP, gets no permissions, and
 * can only hand a validated http(s) URL to the system browser.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  shell,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import { contentSecurityPolicy } from './security-policy.js';

/** Where the built app's pieces are, relative to the app root (package.json's folder or asar). */
export interface AppFiles {
  preload: string;
  indexHtml: string;
}

export function appFiles(appRoot: string = app.getAppPath()): AppFiles {
  return {
    preload: path.join(appRoot, 'dist-electron', 'preload.cjs'),
    indexHtml: path.join(appRoot, 'dist', 'renderer', 'index.html'),
  };
}

/** The URL our page has once loaded; IPC only answers a frame showing exactly this. */
export function rendererUrl(files: AppFiles): string {
  return pathToFileURL(files.indexHtml).href;
}

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export function createMainWindow(files: AppFiles = appFiles()): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Strata',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(files.preload),
  });
  hardenWindow(win, files);
  // Show once painted, so the window never flashes white.
  win.once('ready-to-show', () => win.show());
  void win.loadFile(files.indexHtml);
  return win;
}

export function hardenWindow(win: BrowserWindow, files: AppFiles = appFiles()): void {
  hardenSession(win.webContents.session);
  hardenWebContents(win.webContents, rendererUrl(files));
}

const hardenedContents = new WeakSet<WebContents>();

/**
 * Navigation and new windows, for any webContents (main.ts applies it to every one created).
 * Idempotent, so a window hardened twice does not open a link twice.
 */
export function hardenWebContents(contents: WebContents, allowedUrl: string): void {
  if (hardenedContents.has(contents)) return;
  hardenedContents.add(contents);

  contents.on('will-navigate', (event, url) => {
    if (sameDocument(url, allowedUrl)) return;
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!sameDocument(url, allowedUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

const hardenedSessions = new WeakSet<Session>();

/** CSP and permissions are per session; install them once on each. */
export function hardenSession(session: Session): void {
  if (hardenedSessions.has(session)) return;
  hardenedSessions.add(session);

  const policy = contentSecurityPolicy();
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Drop any policy already present so ours is the only one, whatever its case.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
  // Strata needs no camera, location, notifications... Copying a cell needs clipboard writes.
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write'),
  );
  session.setPermissionCheckHandler(
    (_contents, permission) => permission === 'clipboard-sanitized-write',
  );
}

/** Only plain web links leave the app, and only to the system browser. */
export function safeExternalUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  // user:pass@host is a classic way to disguise where a link goes.
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}

function openExternally(url: string): void {
  const safe = safeExternalUrl(url);
  if (safe) void shell.openExternal(safe).catch(() => undefined);
}

function sameDocument(url: string, allowedUrl: string): boolean {
  try {
    const target = new URL(url);
    target.hash = '';
    return target.href === allowedUrl;
  } catch {
    return false;
  }
}
