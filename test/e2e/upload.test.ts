/**
 * Upload through the wizard in Chromium, against the demo SQLite database: drop a 2,000-row CSV
 * (quoted commas, an embedded newline, empty fields, HTML-looking values and names) on the window,
 * type its path (a browser hides it), check the sniffed types and preview, rename, retype and
 * skip columns, pick a key, load it as a new table and open it; then drop a file with a bad row
 * on that table under reject-file (the report names line, column and value; the table is
 * unchanged), and load the same file's good rows with a rejects file; watch a 400,000-row load's
 * progress and cancel it (no table is left). Partitioning is offered disabled, with the reason,
 * and a read-only connection cannot be chosen. Saves upload.png (Columns), upload-report.png and
 * upload-progress.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason } from '../support/chromium.js';
import { gridCell, gridSettled, startApp, type RunningApp } from '../support/web-app.js';

const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`\n*** SKIPPED upload e2e: ${skipReason} ***\n`);

const rows = 2000;

function ordersCsv(): string {
  const lines = ['id,customer,amount,ordered_on,note,<i>label</i>,città,internal'];
  for (let i = 1; i <= rows; i++) {
    const customer = i % 10 === 0 ? '"Smith, Jane"' : `customer ${i}`;
    const amount = i % 7 === 0 ? '' : (i * 1.25).toFixed(2);
    const date = `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const note =
      i === 3 ? '"first line\nsecond line"' : i === 4 ? '<b>bold</b>' : i % 5 === 0 ? '' : `n${i}`;
    const city = i % 2 === 0 ? 'Zürich' : 'Roma';
    lines.push([i, customer, amount, date, note, `L${i % 3}`, city, 'x'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Five more orders for the same table; the third (line 4 of the file) has no valid amount. */
const badCsv = [
  'id,customer,amount,ordered_on,note,label,città',
  '2001,late one,1.50,2024-03-01,,L0,Roma',
  '2002,late two,2.50,2024-03-02,,L1,Roma',
  '2003,late three,abc,2024-03-03,,L2,Roma',
  '2004,late four,4.50,2024-03-04,,L0,Roma',
  '2005,late five,5.50,2024-03-05,,L1,Roma',
  '',
].join('\n');

const byTestId = (scope: Page | Locator, id: string) => scope.locator(`[data-testid="${id}"]`);

/** Drops a file (its name only: a browser never learns the path) on an element. */
async function dropFile(page: Page, target: Locator, name: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle((fileName) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['id\n1\n'], fileName, { type: 'text/csv' }));
    return transfer;
  }, name);
  await target.dispatchEvent('drop', { dataTransfer });
}

/** File step: type the path over the prefilled name, read it, go on to Columns. */
async function readFile(dialog: Locator, file: string): Promise<void> {
  await byTestId(dialog, 'upload-path').fill(file);
  await byTestId(dialog, 'upload-sniff').click();
  await byTestId(dialog, 'upload-notes').waitFor();
  await byTestId(dialog, 'upload-next').click();
  await byTestId(dialog, 'upload-preview').waitFor();
}

const columnType = (dialog: Locator, column: string) =>
  dialog.locator(`[data-testid="upload-column-type"][data-column="${column}"]`);

describe.skipIf(skipReason !== undefined)('uploading a CSV in the browser', () => {
  let app: RunningApp;
  let dir: string;
  let connectionId: string;
  const ordersFile = () => path.join(dir, 'orders.csv');
  const badFile = () => path.join(dir, 'orders-late.csv');
  const dialog = () => byTestId(app.page, 'upload-dialog');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-upload-'));
    writeFileSync(ordersFile(), ordersCsv());
    writeFileSync(badFile(), badCsv);
    app = await startApp();
    const demo = (await app.host.call('listConnections', {}))[0]!;
    connectionId = demo.id;
    await app.host.call('addSqliteConnection', {
      path: demo.target,
      name: 'Demo read-only',
      readOnly: true,
    });
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads a CSV dropped on the window into the demo database as a new table', async () => {
    const { page } = app;
    await page.waitForSelector('[data-testid="tree-connection"]');
    await dropFile(page, page.locator('main'), 'orders.csv');
    await dialog().waitFor();
    await expect(byTestId(dialog(), 'upload-path').inputValue()).resolves.toBe('orders.csv');
    await expect(dialog().textContent()).resolves.toContain('does not reveal where');
    await readFile(dialog(), ordersFile());

    // Columns: inferred types, a preview whose HTML-looking values and names stay text.
    await expect(columnType(dialog(), 'id').inputValue()).resolves.toBe('integer');
    await expect(columnType(dialog(), 'amount').inputValue()).resolves.toBe('decimal');
    await expect(columnType(dialog(), 'ordered_on').inputValue()).resolves.toBe('date');
    const preview = byTestId(dialog(), 'upload-preview');
    await expect(preview.textContent()).resolves.toContain('<b>bold</b>');
    await expect(preview.textContent()).resolves.toContain('Smith, Jane');
    expect(await preview.locator('b, i').count()).toBe(0);
    const label = dialog().locator(
      '[data-testid="upload-column-name"][data-column="<i>label</i>"]',
    );
    await expect(label.inputValue()).resolves.toBe('<i>label</i>');
    await label.fill('label');
    await dialog().locator('[data-testid="upload-column-skip"][data-column="internal"]').check();
    await byTestId(dialog(), 'upload-key').selectOption({ label: 'id' });
    mkdirSync('docs/screenshots', { recursive: true });
    await preview.evaluate((element) => element.scrollTo(0, 0));
    await page.locator('[data-testid="tree-item"][data-path="main.sales"]').first().waitFor();
    await page.screenshot({ path: 'docs/screenshots/upload.png' });
    await byTestId(dialog(), 'upload-next').click();

    // Target: the demo, main.orders from the file's name, create; no partitions in SQLite.
    const connection = byTestId(dialog(), 'upload-connection');
    await expect(connection.inputValue()).resolves.toBe(connectionId);
    const readOnly = connection.locator('option', { hasText: 'Demo read-only' });
    await expect(readOnly.isDisabled()).resolves.toBe(true);
    await expect(readOnly.textContent()).resolves.toContain('read-only');
    await expect
      .poll(() => byTestId(dialog(), 'upload-target-ref').textContent())
      .toContain('Demo (SQLite)#main.orders');
    await expect(byTestId(dialog(), 'upload-target-name').inputValue()).resolves.toBe('orders');
    await expect(byTestId(dialog(), 'upload-partition').isDisabled()).resolves.toBe(true);
    await expect(byTestId(dialog(), 'upload-partition-reason').textContent()).resolves.toBe(
      'SQLite has no table partitioning',
    );
    await expect(
      byTestId(dialog(), 'upload-mode').locator('input[value="create"]').isChecked(),
    ).resolves.toBe(true);
    await byTestId(dialog(), 'upload-next').click();

    // Rules: none; start, watch it finish, open the new table.
    await byTestId(dialog(), 'upload-start').click();
    const summary = byTestId(dialog(), 'upload-summary');
    await summary.waitFor({ timeout: 30_000 });
    await expect(summary.textContent()).resolves.toContain('Loaded 2,000 rows');
    await byTestId(dialog(), 'upload-open-dataset').click();
    await dialog().waitFor({ state: 'detached' });
    await gridSettled(page);
    await expect
      .poll(() => page.locator('[data-testid="row-count"]').textContent())
      .toContain('2,000');
    await expect(gridCell(page, 10, 'customer').textContent()).resolves.toBe('Smith, Jane');
    await expect(gridCell(page, 3, 'note').textContent()).resolves.toBe('first line↵second line');
    await expect(gridCell(page, 4, 'note').textContent()).resolves.toBe('<b>bold</b>');
    await expect(gridCell(page, 7, 'amount').textContent()).resolves.toBe('NULL');
    await expect(gridCell(page, 1, 'città').textContent()).resolves.toBe('Roma');
    await expect(gridCell(page, 1, 'label').count()).resolves.toBe(1);
    await expect(gridCell(page, 1, 'internal').count()).resolves.toBe(0);
    const schema = await app.host.call('describeDataset', {
      ref: { connectionId, path: ['main', 'orders'] },
    });
    expect(schema.key).toEqual(['id']);
    // The tree lists the new table without a manual refresh.
    await page.locator('[data-testid="tree-item"][data-path="main.orders"]').first().waitFor();
  });

  it('rejects a file with a bad row dropped on the table, and leaves the table as it was', async () => {
    const { page } = app;
    const node = page.locator('[data-testid="tree-item"][data-path="main.orders"]').first();
    await dropFile(page, node, 'orders-late.csv');
    // A file dropped on a table asks: upload it, or see what it would change.
    await byTestId(page, 'tree-drop-upload').click();
    await dialog().waitFor();
    await readFile(dialog(), badFile());
    // One bad value makes sniffing call the column text; the table's column is a decimal.
    await expect(columnType(dialog(), 'amount').inputValue()).resolves.toBe('text');
    await byTestId(dialog(), 'upload-next').click();
    await expect(byTestId(dialog(), 'upload-target-name').inputValue()).resolves.toBe('orders');
    await expect(
      byTestId(dialog(), 'upload-mode').locator('input[value="append"]').isChecked(),
    ).resolves.toBe(true);
    const fit = byTestId(dialog(), 'upload-fit');
    await expect.poll(() => fit.textContent()).toContain('amount: text in the file');
    await byTestId(dialog(), 'upload-use-target-types').click();
    await expect.poll(() => fit.textContent()).toContain('match the dataset');
    await byTestId(dialog(), 'upload-next').click();
    await expect(
      byTestId(dialog(), 'upload-policy').locator('input[value="reject-file"]').isChecked(),
    ).resolves.toBe(true);
    await byTestId(dialog(), 'upload-start').click();
    const report = byTestId(dialog(), 'upload-report');
    await report.waitFor({ timeout: 30_000 });
    const violation = report.locator('[data-testid="upload-violation"]').first();
    await expect(violation.getAttribute('data-line')).resolves.toBe('4');
    const cells = await violation.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['4', 'amount', 'abc']);
    await expect(byTestId(dialog(), 'upload-rejected').textContent()).resolves.toContain(
      'Nothing was written',
    );
    await page.screenshot({ path: 'docs/screenshots/upload-report.png' });
    const { count } = await app.host.call('countRows', {
      ref: { connectionId, path: ['main', 'orders'] },
      view: { sort: [], filters: [] },
    });
    expect(count).toBe(rows);
    await dialog().getByRole('button', { name: 'Close' }).last().click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('loads the good rows and writes the bad one to a rejects file', async () => {
    const { page } = app;
    // The demo's schema (the read-only copy of the demo, listed after it, has one too).
    const main = page.locator('[data-testid="tree-schema"][data-path="main"]').first();
    await main.click({ button: 'right' });
    await byTestId(page, 'tree-upload').click();
    await dialog().waitFor();
    await readFile(dialog(), badFile());
    await columnType(dialog(), 'amount').selectOption('decimal');
    await byTestId(dialog(), 'upload-next').click();
    await byTestId(dialog(), 'upload-target-name').fill('orders_late');
    await byTestId(dialog(), 'upload-next').click();
    await byTestId(dialog(), 'upload-policy').locator('input[value="load-good-rows"]').check();
    const rejects = path.join(dir, 'late.rejects.csv');
    await byTestId(dialog(), 'upload-rejects-path').fill(rejects);
    await byTestId(dialog(), 'upload-start').click();
    const summary = byTestId(dialog(), 'upload-summary');
    await summary.waitFor({ timeout: 30_000 });
    await expect(summary.textContent()).resolves.toContain('Loaded 4 rows');
    await expect(summary.textContent()).resolves.toContain(rejects);
    await expect(byTestId(dialog(), 'upload-report').textContent()).resolves.toContain('abc');
    expect(existsSync(rejects)).toBe(true);
    expect(readFileSync(rejects, 'utf8')).toContain('abc');
    await dialog().getByRole('button', { name: 'Close' }).last().click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('shows rows, bytes, rate and time left while it loads, and cancels leaving nothing', async () => {
    const { page } = app;
    const big = path.join(dir, 'big.csv');
    const lines = ['id,name,amount,day'];
    for (let i = 1; i <= 400_000; i++)
      lines.push(`${i},name ${i},${i % 1000}.25,2024-01-0${(i % 9) + 1}`);
    writeFileSync(big, `${lines.join('\n')}\n`);
    await page
      .locator('[data-testid="tree-connection"]')
      .first()
      .locator('[data-testid="connection-menu"]')
      .click();
    await byTestId(page, 'connection-upload').click();
    await dialog().waitFor();
    await readFile(dialog(), big);
    await byTestId(dialog(), 'upload-next').click();
    await expect(byTestId(dialog(), 'upload-target-name').inputValue()).resolves.toBe('big');
    await byTestId(dialog(), 'upload-next').click();
    await byTestId(dialog(), 'upload-start').click();
    const progress = byTestId(dialog(), 'upload-progress');
    await progress.waitFor();
    await expect
      .poll(
        async () =>
          Number(
            (await byTestId(dialog(), 'upload-progress-rows').textContent())?.replace(/\D/g, ''),
          ),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await page.screenshot({ path: 'docs/screenshots/upload-progress.png' });
    await byTestId(dialog(), 'upload-cancel').click();
    await byTestId(dialog(), 'upload-cancelled').waitFor({ timeout: 30_000 });
    const tree = await app.host.call('getTree', { connectionId });
    const names = tree.flatMap((n) => n.children ?? [n]).map((n) => n.path.join('.'));
    expect(names).not.toContain('main.big');
  });
});
