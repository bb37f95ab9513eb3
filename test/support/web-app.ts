/**
 * Strata in a browser for tests and benchmarks: a host on a data directory, the web host serving
 * the built renderer, and a Chromium page opened on it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DatasetSchema } from '../../shared/model.js';
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

/**
 * Adds a connection through the connection dialog, as a person would: paste its URL (which
 * fills the form), name it, type a password if one is given, Test, and Save once the test passed.
 */
export async function addConnectionByUrl(
  page: Page,
  options: { url: string; name: string; password?: string },
): Promise<void> {
  await page.locator('[data-testid="add-connection"]').click();
  const dialog = page.locator('[data-testid="connection-dialog"]');
  await dialog.waitFor();
  await dialog.locator('[data-testid="connection-url"]').fill(options.url);
  await dialog.locator('[data-testid="connection-url"]').press('Enter');
  await dialog.getByText(/^Filled from the URL/).waitFor();
  await dialog.locator('[data-testid="connection-name"]').fill(options.name);
  if (options.password !== undefined) {
    await dialog.locator('[data-testid="connection-password"]').fill(options.password);
  }
  await dialog.locator('[data-testid="connection-test"]').click();
  await dialog
    .locator('[data-testid="connection-test-result"], [data-testid="connection-error"]')
    .first()
    .waitFor();
  const failed = dialog.locator('[data-testid="connection-error"]');
  if (await failed.isVisible()) {
    throw new Error(`Testing ${options.url} failed in the dialog: ${await failed.innerText()}`);
  }
  await dialog.locator('[data-testid="connection-save"]').click();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('[data-testid="tree-connection"]', { hasText: options.name }).waitFor();
}

/** Opens schema nodes (`db12`, `public`…) that are collapsed, so their datasets show. */
export async function expandSchema(page: Page, schemaPath: string): Promise<void> {
  const schema = page.locator(`[data-testid="tree-schema"][data-path="${schemaPath}"]`).first();
  await schema.waitFor();
  if ((await schema.getAttribute('aria-expanded')) === 'false') await schema.click();
}

/** The grid cell at 1-based `row` (as aria-rowindex counts) in the column named `column`. */
export function gridCell(page: Page, row: number, column: string) {
  return page.locator(
    `[role="row"][aria-rowindex="${row}"] [role="gridcell"][data-column="${column}"]`,
  );
}

/** Filters a column through its header's filter popover. */
export async function filterColumn(page: Page, column: string, op: string, value: string) {
  await page
    .locator(`[role="columnheader"][data-column="${column}"] [data-testid="filter-button"]`)
    .click();
  await page.locator('[data-testid="filter-op"]').selectOption(op);
  await page.locator('[data-testid="filter-value"]').fill(value);
  await page.locator('[data-testid="filter-apply"]').click();
}

/** Clicks a column's header until it sorts `direction`, then waits for the grid to settle. */
export async function sortColumn(page: Page, column: string, direction: 'asc' | 'desc') {
  const header = page.locator(`[role="columnheader"][data-column="${column}"]`);
  const wanted = direction === 'asc' ? 'ascending' : 'descending';
  for (let i = 0; i < 3 && (await header.getAttribute('aria-sort')) !== wanted; i++) {
    await header.locator('.header-sort').click();
  }
  if ((await header.getAttribute('aria-sort')) !== wanted) {
    throw new Error(`The ${column} header did not sort ${wanted}`);
  }
  await gridSettled(page);
}

/**
 * Rewrites the schemas the page receives over the web host's socket (`describeDataset` results),
 * to try the renderer on a schema no store on this machine produces. Takes effect for sockets
 * opened afterwards: reload the page.
 */
export async function patchSchemasOnTheWire(
  page: Page,
  patch: (schema: DatasetSchema) => DatasetSchema,
): Promise<void> {
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    const describes = new Set<number>();
    ws.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id: number; channel?: string };
      if (call.channel === 'describeDataset') describes.add(call.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const reply = JSON.parse(String(message)) as {
        id?: number;
        result?: { ok: boolean; value?: DatasetSchema };
      };
      const schema = reply.id !== undefined && describes.has(reply.id) && reply.result?.value;
      if (!schema) return ws.send(message);
      ws.send(JSON.stringify({ ...reply, result: { ok: true, value: patch(schema) } }));
    });
  });
}
