/**
 * Strata in a browser for tests and benchmarks: a host on a data directory, the web host serving
 * the built renderer, and a Chromium page opened on it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHost, type Host } from '../../electron/host.js';
import { startWebHost, type WebHost } from '../../electron/web-host.js';
import { launchChromium } from './chromium.js';

export const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface RunningApp {
  host: Host;
  web: WebHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  close(): Promise<void>;
}

export async function startApp(
  options: { dataDir?: string; viewport?: { width: number; height: number } } = {},
): Promise<RunningApp> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(
      `The renderer is not built (${rendererDir}); run \`node scripts/build.mjs --renderer\``,
    );
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'strata-app-'));
  const host = await createHost({ dataDir });
  await host.demoReady;
  const web = await startWebHost({ host, staticDir: rendererDir });
  const browser = await launchChromium();
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  // tsx compiles with keepNames, which wraps functions passed to page.evaluate in `__name(…)`.
  await context.addInitScript('globalThis.__name = (target) => target;');
  const page = await context.newPage();
  await page.goto(web.url);
  return {
    host,
    web,
    browser,
    context,
    page,
    dataDir,
    close: async () => {
      await browser.close();
      await web.close();
      await host.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens a dataset from the tree: expands the connection if needed and clicks the dataset. */
export async function openDataset(
  page: Page,
  connectionName: string,
  datasetPath: string,
): Promise<void> {
  const item = page.locator(`[data-testid="tree-item"][data-path="${datasetPath}"]`);
  if (!(await item.isVisible())) {
    await page
      .locator('[data-testid="tree-connection"]', { hasText: connectionName })
      .first()
      .click();
  }
  await item.first().click();
}

/** Waits until the grid shows rows for its viewport and loads nothing. */
export async function gridSettled(page: Page): Promise<void> {
  await page.waitForSelector(
    '[data-testid="data-grid"][data-loading="false"] [role="row"][aria-rowindex]',
  );
}
