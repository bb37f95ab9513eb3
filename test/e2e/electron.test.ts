/**
 * The real Electron app, end to end: the window opens on a fresh data directory, the page has
 * exactly `window.strata` and no Node, the window's webPreferences are the hardened ones, and the
 * demo tree appears once its data is generated.
 *
 * Runs only where an Electron binary exists (the `electron` package resolves to a file that
 * exists, e.g. with ELECTRON_OVERRIDE_DIST_PATH set); these machines cannot download one, so
 * here it is skipped, loudly.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function electronBinary(): string | undefined {
  try {
    // The package's index.js answers the binary's path, or throws when it was never downloaded.
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) {
  console.warn(
    '\n*** Electron e2e skipped: no Electron binary (the electron package has none; set ' +
      'ELECTRON_OVERRIDE_DIST_PATH to a folder holding one to run it) ***\n',
  );
}

/** What the page can reach, read from inside the renderer. */
function pageGlobals(page: Page) {
  return page.evaluate(() => {
    const scope = globalThis as unknown as Record<string, unknown>;
    const strata = scope.strata as Record<string, unknown> | undefined;
    return {
      strata: strata ? Object.keys(strata).sort() : [],
      channels: strata ? Object.keys(strata.channels as object).sort() : [],
      require: typeof scope.require,
      process: typeof scope.process,
      // Denied by the window-open handler; a file URL is never handed to the system either.
      opened: (scope.open as (url: string) => unknown)('file:///etc/passwd') === null,
    };
  });
}

describe.skipIf(!binary)('Strata in Electron', () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot });
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-electron-'));
    const args = [repoRoot];
    // Chromium refuses to start its sandbox as root (CI containers); the page stays sandboxed
    // from Node by Electron's own sandbox and contextIsolation either way.
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      args.unshift('--ozone-platform=headless');
    }
    app = await _electron.launch({
      executablePath: binary,
      args,
      env: { ...process.env, STRATA_DATA_DIR: dataDir },
      timeout: 60_000,
    });
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('opens one hardened window on our page', async () => {
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe(pathToFileURL(path.join(repoRoot, 'dist/renderer/index.html')).href);
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const windows = BrowserWindow.getAllWindows();
      // Electron has this at run time but leaves it out of its type declarations.
      const contents = windows[0]?.webContents as
        { getLastWebPreferences(): Electron.WebPreferences | null } | undefined;
      const web = contents?.getLastWebPreferences();
      return {
        count: windows.length,
        sandbox: web?.sandbox,
        contextIsolation: web?.contextIsolation,
        nodeIntegration: web?.nodeIntegration,
      };
    });
    expect(prefs).toEqual({
      count: 1,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
  });

  it('gives the page window.strata and nothing of Node', async () => {
    const globals = await pageGlobals(page);
    expect(globals.strata).toEqual(['cancel', 'channels', 'on', 'pathForFile']);
    expect(globals.channels).toContain('getPage');
    expect(globals.require).toBe('undefined');
    expect(globals.process).toBe('undefined');
    expect(globals.opened).toBe(true);
  });

  it('shows the demo tree once its data is generated', async () => {
    await page.waitForSelector('[data-testid="tree-connection"]', { timeout: 30_000 });
    const sales = page.locator('[data-testid="tree-item"][data-path="main.sales"]');
    if (!(await sales.isVisible()))
      await page.locator('[data-testid="tree-connection"]').first().click();
    await expect.poll(() => sales.textContent(), { timeout: 60_000 }).toContain('1,000,000');
  });
});
