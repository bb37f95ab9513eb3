/**
 * Electron's entry point, kept thin: app lifecycle, the host on the user's data directory, the
 * window, and IPC. Everything with behaviour worth testing lives in host.ts, ipc.ts, windows.ts.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, safeStorage } from 'electron';
import type { PickFilePathRequest } from '../shared/contract.js';
import { CallRouter } from './call-router.js';
import { safeStorageBox } from './connections/secret-box.js';
import { FileGrants, type FileMode } from './file-access.js';
import { createHost, type Host } from './host.js';
import { registerIpc } from './ipc.js';
import { appFiles, createMainWindow, hardenWebContents, rendererUrl } from './windows.js';

// Every renderer sandboxed, whatever a future window's options say.
app.enableSandbox();

// The CLI honours STRATA_DATA_DIR; so does the app, so both can be pointed at one folder.
if (process.env.STRATA_DATA_DIR) app.setPath('userData', path.resolve(process.env.STRATA_DATA_DIR));

if (!app.requestSingleInstanceLock()) {
  // Another Strata owns the data directory (and its SQLite files); it gets focus instead.
  app.quit();
} else {
  start();
}

function start(): void {
  const files = appFiles();
  const allowedUrl = rendererUrl(files);
  let host: Host | undefined;
  let unregisterIpc: (() => void) | undefined;
  let closed = false;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, allowedUrl));

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open shows one again.
    if (host && BrowserWindow.getAllWindows().length === 0) createMainWindow(files);
  });

  app.on('will-quit', (event) => {
    if (closed || !host) return;
    // Let jobs stop and SQLite handles close before the process exits.
    event.preventDefault();
    unregisterIpc?.();
    void host
      .close()
      .catch((error: unknown) => console.error('Strata: closing the host failed', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  void app
    .whenReady()
    .then(async () => {
      // Paths the window names must be ones the person chose: picked, dropped, or confirmed.
      const grants = new FileGrants(confirmFileAccess);
      host = await createHost({
        dataDir: app.getPath('userData'),
        pickSqliteFile: async () => {
          const file = await pickSqliteFile();
          if (file) grants.grant(file, 'read');
          return file;
        },
        pickFilePath: async (request) => {
          const file = await pickFilePath(request);
          if (file) grants.grant(file, request.mode === 'save' ? 'write' : 'read');
          return file;
        },
        fileAccess: grants,
        // Saved passwords and keys are encrypted with the OS keychain (safeStorage needs `ready`).
        secretBox: safeStorageBox(safeStorage),
      });
      unregisterIpc = registerIpc(ipcMain, host, new CallRouter(host), {
        rendererUrl: allowedUrl,
        targets: () => BrowserWindow.getAllWindows().map((win) => win.webContents),
        onDroppedFile: (file) => grants.grant(file, 'read'),
      });
      host.demoReady.catch((error: unknown) => console.error('Strata: demo data failed', error));
      createMainWindow(files);
    })
    .catch((error: unknown) => {
      // E.g. an unreadable connections.json: say so rather than open a window that cannot work.
      dialog.showErrorBox(
        'Strata cannot start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
    });
}

async function pickFilePath(request: PickFilePathRequest): Promise<string | null> {
  const filters = [
    ...(request.extensions
      ? [{ name: request.extensions.join(', '), extensions: request.extensions }]
      : []),
    { name: 'All files', extensions: ['*'] },
  ];
  const parent = BrowserWindow.getFocusedWindow();
  if (request.mode === 'save') {
    const options: Electron.SaveDialogOptions = {
      title: request.title,
      filters,
      ...(request.defaultPath ? { defaultPath: request.defaultPath } : {}),
    };
    const result = parent
      ? await dialog.showSaveDialog(parent, options)
      : await dialog.showSaveDialog(options);
    return result.canceled ? null : (result.filePath ?? null);
  }
  const options: Electron.OpenDialogOptions = {
    title: request.title,
    properties: ['openFile'],
    filters,
    ...(request.defaultPath ? { defaultPath: request.defaultPath } : {}),
  };
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** A path typed into the window: the person says yes in a dialog the page cannot answer. */
async function confirmFileAccess(file: string, mode: FileMode): Promise<boolean> {
  const options: Electron.MessageBoxOptions = {
    type: 'question',
    buttons: [mode === 'read' ? 'Allow reading' : 'Allow writing', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Let Strata ${mode === 'read' ? 'read' : 'write'} ${file}?`,
    detail:
      'This path was typed in the window rather than chosen with Browse… or dropped on it. Allow it only if you typed it.',
  };
  const parent = BrowserWindow.getFocusedWindow();
  const { response } = parent
    ? await dialog.showMessageBox(parent, options)
    : await dialog.showMessageBox(options);
  return response === 0;
}

async function pickSqliteFile(): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open a SQLite database',
    properties: ['openFile'],
    filters: [
      { name: 'SQLite databases', extensions: ['db', 'sqlite', 'sqlite3'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const parent = BrowserWindow.getFocusedWindow();
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
