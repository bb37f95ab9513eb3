/**
 * The app in Chromium through the web host: see the demo tables, open sales, sort, filter, jump,
 * copy a range, and see HTML-looking values rendered as text. Saves the README's screenshot.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason } from '../support/chromium.js';
import { gridSettled, openDataset, startApp, type RunningApp } from '../support/web-app.js';

const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`browse e2e ${skipReason}`);

const digits = (text: string | null) => Number((text ?? '').replace(/[^\d.-]/g, ''));

describe.skipIf(skipReason !== undefined)('browsing the demo in the browser', () => {
  let app: RunningApp;
  let connectionId: string;
  const sales = () => ({ connectionId, path: ['main', 'sales'] });

  beforeAll(async () => {
    app = await startApp();
    connectionId = (await app.host.call('listConnections', {}))[0]!.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  const firstCell = (column: string) =>
    app.page.locator(`[role="row"][aria-rowindex="1"] [role="gridcell"][data-column="${column}"]`);

  it('shows the demo tables with their row counts', async () => {
    const { page } = app;
    await page.waitForSelector('[data-testid="tree-connection"]');
    const salesItem = page.locator('[data-testid="tree-item"][data-path="main.sales"]');
    if (!(await salesItem.isVisible()))
      await page.locator('[data-testid="tree-connection"]').first().click();
    await expect.poll(() => salesItem.textContent()).toContain('1,000,000');
    for (const name of ['customers', 'products']) {
      await expect(
        page.locator(`[data-testid="tree-item"][data-path="main.${name}"]`).isVisible(),
      ).resolves.toBe(true);
    }
  });

  it('opens sales and paints its first rows', async () => {
    await openDataset(app.page, 'Demo (SQLite)', 'main.sales');
    await gridSettled(app.page);
    const grid = app.page.locator('[data-testid="data-grid"]');
    await expect(grid.getAttribute('aria-rowcount')).resolves.toBe('1000000');
    expect(digits(await firstCell('id').textContent())).toBe(1);
    await expect(app.page.locator('[data-testid="row-count"]').textContent()).resolves.toContain(
      '1,000,000',
    );
  });

  it('sorts by amount, descending, as the database does', async () => {
    const header = app.page.locator('[role="columnheader"][data-column="amount"]');
    await header.click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await gridSettled(app.page);
    const expected = await app.host.call('getPage', {
      ref: sales(),
      offset: 0,
      limit: 1,
      view: { sort: [{ column: 'amount', direction: 'desc' }], filters: [] },
    });
    await expect
      .poll(async () => digits(await firstCell('id').textContent()))
      .toBe(expected.rows[0]![0]);
    await header.click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('none');
  });

  it('filters a column and shows the filtered count', async () => {
    const { page } = app;
    await page
      .locator('[role="columnheader"][data-column="currency"] [data-testid="filter-button"]')
      .click();
    await page.locator('[data-testid="filter-op"]').selectOption('eq');
    await page.locator('[data-testid="filter-value"]').fill('GBP');
    await page.locator('[data-testid="filter-apply"]').click();
    const { count } = await app.host.call('countRows', {
      ref: sales(),
      view: { sort: [], filters: [{ column: 'currency', op: 'eq', value: 'GBP' }] },
    });
    expect(count).toBeGreaterThan(100_000);
    await expect
      .poll(() => page.locator('[data-testid="data-grid"]').getAttribute('aria-rowcount'))
      .toBe(String(count));
    await gridSettled(page);
    await expect(firstCell('currency').textContent()).resolves.toBe('GBP');
    await expect
      .poll(() => page.locator('[data-testid="row-count"]').textContent())
      .not.toContain('counting');
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/grid.png' });
  });

  it('renders values that look like HTML as text', async () => {
    const { page } = app;
    await page
      .locator('[role="columnheader"][data-column="note"] [data-testid="filter-button"]')
      .click();
    await page.locator('[data-testid="filter-op"]').selectOption('contains');
    await page.locator('[data-testid="filter-value"]').fill('<b>');
    await page.locator('[data-testid="filter-apply"]').click();
    await expect.poll(() => firstCell('note').textContent()).toContain('<b>fragile</b>');
    expect(await page.locator('[data-testid="data-grid"] b').count()).toBe(0);
  });

  it('jumps to row 900,000', async () => {
    const { page } = app;
    await openDataset(page, 'Demo (SQLite)', 'main.customers');
    await gridSettled(page);
    await openDataset(page, 'Demo (SQLite)', 'main.sales');
    await gridSettled(page);
    await expect
      .poll(() => page.locator('[data-testid="data-grid"]').getAttribute('aria-rowcount'))
      .toBe('1000000');
    await page.locator('[data-testid="goto-row"]').fill('900000');
    await page.locator('[data-testid="goto-row"]').press('Enter');
    const row = page.locator(
      '[role="row"][aria-rowindex="900000"] [role="gridcell"][data-column="id"]',
    );
    await expect.poll(async () => digits(await row.textContent())).toBe(900_000);
    await expect(page.locator('[data-testid="grid-position"]').textContent()).resolves.toMatch(
      /900,0\d\d/,
    );
  });

  it('copies a range of cells as TSV', async () => {
    const { page } = app;
    const from = page.locator(
      '[role="row"][aria-rowindex="900000"] [role="gridcell"][data-column="id"]',
    );
    const to = page.locator(
      '[role="row"][aria-rowindex="900002"] [role="gridcell"][data-column="customer_id"]',
    );
    await from.click();
    await to.click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+C');
    const expected = await app.host.call('getPage', {
      ref: sales(),
      offset: 899_999,
      limit: 3,
      view: { sort: [], filters: [] },
    });
    const tsv = expected.rows.map((r) => r.slice(0, 3).map(String).join('\t')).join('\n');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(tsv);
  });
});
