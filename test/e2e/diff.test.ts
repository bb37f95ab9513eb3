/**
 * Diff in Chromium, against the demo SQLite database: two snapshots of `products` around an edit
 * (two prices up by 1, a name changed, one product added) compared from the history timeline
 * ("vs previous"): the counts, a highlighted changed cell with its old value beside the new,
 * next/previous change by button and key, kind and column filters, "only changed columns", the
 * tolerance option (prices within ±1.5 are equal) and export as SQL; then the live table against
 * a snapshot, two tree nodes chosen with "Select for compare", two ticked snapshots, and a CSV dropped on the table
 * ("What would this file change?"). Saves diff.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFileName } from '../../electron/demo/demo.js';
import { chromiumSkipReason } from '../support/chromium.js';
import { gridSettled, openDataset, startApp, type RunningApp } from '../support/web-app.js';

const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`\n*** SKIPPED diff e2e: ${skipReason} ***\n`);

const byTestId = (scope: Page | Locator, id: string) => scope.locator(`[data-testid="${id}"]`);

describe.skipIf(skipReason !== undefined)('diff in the browser', () => {
  let app: RunningApp;
  let dir: string;
  const page = () => app.page;

  async function snapshot(message: string): Promise<void> {
    const demo = (await app.host.call('listConnections', {}))[0]!;
    const { jobId } = await app.host.call('createSnapshot', {
      ref: { connectionId: demo.id, path: ['main', 'products'] },
      message,
    });
    const status = await app.host.call('getVersionsJob', { jobId, wait: true });
    expect(status.state).toBe('done');
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-diff-'));
    app = await startApp();
    await snapshot('before the edit');
    const db = new Database(path.join(app.dataDir, demoFileName));
    db.prepare('UPDATE products SET unit_price = unit_price + 1 WHERE id IN (3, 4)').run();
    db.prepare("UPDATE products SET name = 'Renamed gadget' WHERE id = 10").run();
    db.prepare(
      "INSERT INTO products (id, sku, name, category, unit_price, active) VALUES (501, 'SKU-NEW', 'New gadget', 'Gadgets', 9.99, 1)",
    ).run();
    db.close();
    await snapshot('after the edit');
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('compares a snapshot with the previous one from the timeline', async () => {
    await openDataset(page(), 'Demo (SQLite)', 'main.products');
    await gridSettled(page());
    await byTestId(page(), 'dataset-history').click();
    const newest = byTestId(page(), 'timeline-entry').first();
    await byTestId(newest, 'compare-previous').click();

    const screen = byTestId(page(), 'diff-screen');
    await byTestId(screen, 'diff-summary').waitFor({ timeout: 30_000 });
    await expect(byTestId(screen, 'diff-count-added').innerText()).resolves.toBe('+1 added');
    await expect(byTestId(screen, 'diff-count-removed').innerText()).resolves.toBe('0 removed');
    await expect(byTestId(screen, 'diff-count-changed').innerText()).resolves.toBe('~3 changed');
    await expect(byTestId(screen, 'diff-count-unchanged').innerText()).resolves.toBe(
      '497 unchanged',
    );
    await expect(byTestId(screen, 'diff-side-a').innerText()).resolves.toMatch(
      /^Demo \(SQLite\)#main\.products @ [0-9a-f]{8}$/,
    );

    const rows = byTestId(screen, 'diff-row');
    await rows.first().waitFor();
    await expect(rows.count()).resolves.toBe(4);
    const price = screen.locator('[data-testid="diff-changed-cell"][data-column="unit_price"]');
    await expect(price.count()).resolves.toBe(2);
    const oldPrice = await price.first().locator('.diff-old').innerText();
    const newPrice = await price.first().locator('.diff-new').innerText();
    expect(Number(newPrice) - Number(oldPrice)).toBeCloseTo(1, 6);
    await expect(rows.last().getAttribute('data-kind')).resolves.toBe('added');
    await expect(rows.last().innerText()).resolves.toContain('New gadget');

    await byTestId(screen, 'diff-next').click();
    await byTestId(screen, 'diff-next').click();
    await expect(byTestId(screen, 'diff-position').innerText()).resolves.toBe(
      'change 2 of 4 changes',
    );
    await byTestId(screen, 'diff-grid').press('p');
    await expect(byTestId(screen, 'diff-position').innerText()).resolves.toBe(
      'change 1 of 4 changes',
    );
    await expect(rows.first().getAttribute('class')).resolves.toContain('cursor');
    mkdirSync('docs/screenshots', { recursive: true });
    await page().screenshot({ path: 'docs/screenshots/diff.png' });

    // Only added rows; then only rows whose name changed.
    await byTestId(screen, 'diff-show-changed').uncheck();
    await expect.poll(() => rows.count()).toBe(1);
    await byTestId(screen, 'diff-show-changed').check();
    await byTestId(screen, 'diff-column-filter').selectOption('name');
    await expect.poll(() => byTestId(screen, 'diff-position').innerText()).toBe('2 changes');
    await byTestId(screen, 'diff-column-filter').selectOption('');

    // Only changed columns: category never changed and is hidden; the key stays.
    await byTestId(screen, 'diff-only-changed-columns').check();
    const headers = screen.locator('[role="columnheader"]');
    await expect(headers.allInnerTexts()).resolves.not.toContain('category');
    await expect(headers.first().innerText()).resolves.toContain('id');
  });

  it('exports the changes as SQL, and treats prices within the tolerance as equal', async () => {
    const screen = byTestId(page(), 'diff-screen');
    await byTestId(screen, 'diff-export').click();
    const dialog = byTestId(page(), 'diff-export-dialog');
    await byTestId(dialog, 'diff-export-format').selectOption('sql');
    const file = path.join(dir, 'changes.sql');
    await byTestId(page(), 'diff-export-dialog-path').fill(file);
    await byTestId(page(), 'diff-export-dialog-confirm').click();
    await byTestId(page(), 'diff-export-dialog-outcome').waitFor();
    const sql = readFileSync(file, 'utf8');
    expect(sql).toMatch(/INSERT INTO/i);
    expect(sql).toMatch(/UPDATE/i);
    await page().getByRole('button', { name: 'Close' }).last().click();

    await byTestId(screen, 'diff-tolerance').fill('1.5');
    await byTestId(screen, 'diff-run').click();
    await expect
      .poll(() => byTestId(screen, 'diff-count-changed').innerText(), { timeout: 30_000 })
      .toBe('~1 changed');
  });

  it('compares the live table with a snapshot, and two datasets picked in the tree', async () => {
    await byTestId(page(), 'diff-close').click();
    const oldest = byTestId(page(), 'timeline-entry').last();
    await byTestId(oldest, 'compare-live').click();
    const screen = byTestId(page(), 'diff-screen');
    await expect
      .poll(() => byTestId(screen, 'diff-count-changed').innerText(), { timeout: 30_000 })
      .toBe('~3 changed');
    await expect(byTestId(screen, 'diff-side-b').innerText()).resolves.toBe(
      'Demo (SQLite)#main.products (live)',
    );

    const item = (p: string) => page().locator(`[data-testid="tree-item"][data-path="${p}"]`);
    await item('main.products').click({ button: 'right' });
    await byTestId(page(), 'tree-select-compare').click();
    await item('main.customers').click({ button: 'right' });
    await byTestId(page(), 'tree-compare-selected').click();
    await expect(byTestId(screen, 'diff-side-a').innerText()).resolves.toBe(
      'Demo (SQLite)#main.products',
    );
    await byTestId(screen, 'diff-schema').waitFor({ timeout: 30_000 });
    // Ten column changes start folded under their one-line summary.
    const schema = byTestId(screen, 'diff-schema');
    await expect(schema.locator('summary').innerText()).resolves.toBe(
      'Schema changed: columns 5 added, 5 removed',
    );
    await schema.locator('summary').click();
    await expect(schema.innerText()).resolves.toContain('column email');

    // Any two ticked snapshots: the older is A.
    await byTestId(page(), 'diff-close').click();
    const entries = byTestId(page(), 'timeline-entry');
    await byTestId(entries.nth(0), 'timeline-pick').check();
    await byTestId(entries.nth(1), 'timeline-pick').check();
    await byTestId(page(), 'compare-picked').click();
    await expect
      .poll(() => byTestId(screen, 'diff-count-added').innerText(), { timeout: 30_000 })
      .toBe('+1 added');
  });

  it('shows what a CSV dropped on a table would change', async () => {
    const file = path.join(dir, 'two-products.csv');
    const db = new Database(path.join(app.dataDir, demoFileName), { readonly: true });
    const rows = db
      .prepare('SELECT id, sku, name, category, unit_price, active FROM products WHERE id <= 2')
      .all() as Record<string, unknown>[];
    db.close();
    const header = 'id,sku,name,category,unit_price,active';
    const lines = rows.map((r) =>
      [r.id, r.sku, r.name, r.category, r.unit_price, r.active].join(','),
    );
    writeFileSync(file, `${[header, ...lines].join('\n')}\n`);

    const node = page().locator('[data-testid="tree-item"][data-path="main.products"]');
    const dataTransfer = await page().evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['id\n1\n'], 'two-products.csv', { type: 'text/csv' }));
      return transfer;
    });
    await node.dispatchEvent('drop', { dataTransfer });
    await byTestId(page(), 'tree-drop-compare').click();
    const dialog = byTestId(page(), 'diff-file-dialog');
    await byTestId(dialog, 'diff-file-dialog-path').fill(file);
    await byTestId(dialog, 'diff-file-dialog-confirm').click();

    const screen = byTestId(page(), 'diff-screen');
    await expect(byTestId(screen, 'diff-side-b').innerText()).resolves.toBe(file);
    await expect
      .poll(() => byTestId(screen, 'diff-count-removed').innerText(), { timeout: 30_000 })
      .toBe('−499 removed');
    await expect(byTestId(screen, 'diff-schema').innerText()).resolves.toContain(
      'column thumbnail',
    );
  });
});
