/**
 * Versions in Chromium, against the demo SQLite database: snapshot `products` from its toolbar
 * (the dialog names its key), see it in the dataset's timeline, change rows behind the app's
 * back (two prices up, one product added), snapshot again from the timeline, restore the first snapshot into a new table (a
 * read-only connection is offered disabled, with the reason) and open it from the tree; replace
 * asks first, naming the dataset; verify the store, export a snapshot, delete it (asked first), collect its garbage and import it back; a tree node's context
 * menu offers Snapshot and History; a snapshot of the 1M-row `sales` shows its rows of the total and
 * is cancelled, storing nothing. Saves versions.png (every store's history).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFileName } from '../../electron/demo/demo.js';
import { chromiumSkipReason } from '../support/chromium.js';
import { gridSettled, openDataset, startApp, type RunningApp } from '../support/web-app.js';

const skipReason = chromiumSkipReason();
if (skipReason) console.warn(`\n*** SKIPPED versions e2e: ${skipReason} ***\n`);

const byTestId = (scope: Page | Locator, id: string) => scope.locator(`[data-testid="${id}"]`);

describe.skipIf(skipReason !== undefined)('versions in the browser', () => {
  let app: RunningApp;
  let dir: string;
  const page = () => app.page;
  const demoFile = () => path.join(app.dataDir, demoFileName);

  beforeAll(async () => {
    app = await startApp();
    // A second, read-only store: a restore may not pick it.
    dir = mkdtempSync(path.join(os.tmpdir(), 'strata-versions-'));
    const archive = path.join(dir, 'archive.sqlite');
    const db = new Database(archive);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();
    await app.host.call('addSqliteConnection', {
      path: archive,
      name: 'Archive read-only',
      readOnly: true,
    });
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function takeSnapshot(message: string): Promise<Locator> {
    const dialog = byTestId(page(), 'snapshot-dialog');
    await dialog.waitFor();
    await byTestId(dialog, 'snapshot-message').fill(message);
    await byTestId(dialog, 'snapshot-start').click();
    const summary = byTestId(dialog, 'snapshot-summary');
    await summary.waitFor({ timeout: 30_000 });
    return summary;
  }

  it('snapshots a dataset, changes it, snapshots again and shows both in its timeline', async () => {
    await openDataset(page(), 'Demo (SQLite)', 'main.products');
    await gridSettled(page());
    await byTestId(page(), 'dataset-snapshot').click();
    const dialog = byTestId(page(), 'snapshot-dialog');
    await expect
      .poll(() => byTestId(dialog, 'snapshot-key-note').innerText())
      .toContain('Ordered by id (the dataset’s key)');
    const first = await takeSnapshot('before the price change');
    expect(await first.innerText()).toMatch(/Snapshot [0-9a-f]{8} of 500 rows/);
    await byTestId(dialog, 'snapshot-history').click();

    await expect(byTestId(page(), 'history-focus').innerText()).resolves.toBe(
      'Demo (SQLite)#main.products',
    );
    const entries = byTestId(page(), 'timeline-entry');
    await entries.first().waitFor();
    await expect(entries.count()).resolves.toBe(1);
    await expect(byTestId(entries.first(), 'timeline-rows').innerText()).resolves.toBe('500');

    const db = new Database(demoFile());
    db.prepare('UPDATE products SET unit_price = unit_price + 1 WHERE id IN (3, 4)').run();
    db.prepare(
      "INSERT INTO products (id, sku, name, category, unit_price, active) VALUES (501, 'SKU-NEW', 'New gadget', 'Gadgets', 9.99, 1)",
    ).run();
    db.close();

    await byTestId(page(), 'history-snapshot-now').click();
    const second = await takeSnapshot('after the price change');
    expect(await second.innerText()).toMatch(/of 501 rows/);
    // Most chunks are the first snapshot's: few new bytes.
    await expect(second.innerText()).resolves.toMatch(/already stored/);
    await byTestId(dialog, 'snapshot-close').click();

    await expect.poll(() => entries.count()).toBe(2);
    await expect(byTestId(entries.nth(0), 'timeline-rows').innerText()).resolves.toBe('501');
    await expect(entries.nth(0).innerText()).resolves.toContain('after the price change');
    await expect(entries.nth(0).innerText()).resolves.toMatch(/after [0-9a-f]{8}/);
    await expect(entries.nth(1).innerText()).resolves.toContain('before the price change');
  });

  it('restores the first snapshot into a new table and opens it from the tree', async () => {
    const entries = byTestId(page(), 'timeline-entry');
    await byTestId(entries.nth(1), 'timeline-restore').click();
    const dialog = byTestId(page(), 'restore-dialog');
    await dialog.waitFor();
    const readOnly = dialog.locator('option', { hasText: 'Archive read-only' });
    await expect(readOnly.getAttribute('disabled')).resolves.not.toBeNull();
    await expect(readOnly.innerText()).resolves.toContain('read-only');

    // Replacing asks first, naming the dataset; cancelling it starts nothing.
    await byTestId(dialog, 'restore-name').fill('main.products');
    await byTestId(dialog, 'restore-replace').check();
    await byTestId(dialog, 'restore-start').click();
    const confirm = page().locator('[role="alertdialog"]');
    await expect(confirm.innerText()).resolves.toContain('Demo (SQLite)#main.products');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm.count()).resolves.toBe(0);

    await dialog.locator('input[name="restore-mode"]').first().check();
    await byTestId(dialog, 'restore-name').fill('main.products_v1');
    await byTestId(dialog, 'restore-start').click();
    const summary = byTestId(dialog, 'restore-summary');
    await summary.waitFor({ timeout: 30_000 });
    await expect(summary.innerText()).resolves.toContain(
      'Restored 500 rows into Demo (SQLite)#main.products_v1',
    );
    // The tree of the target lists the new table.
    await page().locator('[data-testid="tree-item"][data-path="main.products_v1"]').waitFor();
    await byTestId(dialog, 'restore-open').click();
    await gridSettled(page());
    await expect(byTestId(page(), 'row-count').innerText()).resolves.toBe('500');
  });

  it('verifies the store, exports, deletes, collects garbage, imports, and offers versions on a tree node', async () => {
    // A second dataset's history, taken headless, shows as its own group.
    const demo = (await app.host.call('listConnections', {})).find(
      (c) => c.name === 'Demo (SQLite)',
    )!;
    const { jobId } = await app.host.call('createSnapshot', {
      ref: { connectionId: demo.id, path: ['main', 'customers'] },
      message: 'nightly',
    });
    await app.host.call('getVersionsJob', { jobId, wait: true });
    await byTestId(page(), 'show-versions').click();
    await byTestId(page(), 'versions-screen').waitFor();
    await expect.poll(() => byTestId(page(), 'history-group').count()).toBe(2);
    await byTestId(page(), 'store-verify').click();
    const report = byTestId(page(), 'verify-report');
    await report.waitFor({ timeout: 30_000 });
    await expect(report.getAttribute('data-ok')).resolves.toBe('true');
    await expect(report.innerText()).resolves.toContain('3 snapshots checked');
    mkdirSync('docs/screenshots', { recursive: true });
    await page().screenshot({ path: 'docs/screenshots/versions.png' });

    // Export the newer snapshot to a file before it is deleted. (Deleting the older one would
    // free nothing: its chunk is the base the newer one's delta is stored against.)
    const entries = page().locator(
      '[data-testid="history-group"][data-ref="Demo (SQLite)#main.products"] [data-testid="timeline-entry"]',
    );
    const exported = path.join(dir, 'products-v2.strata-snapshot');
    await byTestId(entries.nth(0), 'timeline-export').click();
    await byTestId(page(), 'export-dialog-path').fill(exported);
    await byTestId(page(), 'export-dialog-confirm').click();
    await expect(byTestId(page(), 'export-dialog-outcome').innerText()).resolves.toContain(
      exported,
    );
    await byTestId(page(), 'export-dialog').getByRole('button', { name: 'Close' }).click();

    // Deleting it (after confirming) leaves its own chunks to collect.
    await byTestId(entries.nth(0), 'timeline-delete').click();
    await expect(page().locator('[role="alertdialog"]').innerText()).resolves.toContain(
      'after the price change',
    );
    await byTestId(page(), 'confirm').click();
    await expect.poll(() => entries.count()).toBe(1);
    await byTestId(page(), 'store-gc').click();
    await expect(byTestId(page(), 'gc-report').innerText()).resolves.toMatch(
      /Freed [\d.]+ (B|KiB) \([1-9]\d* objects removed/,
    );

    // Importing the export brings it back, whole.
    await byTestId(page(), 'store-import').click();
    await byTestId(page(), 'import-dialog-path').fill(exported);
    await byTestId(page(), 'import-dialog-confirm').click();
    await expect(byTestId(page(), 'import-dialog-outcome').innerText()).resolves.toMatch(
      /Imported snapshot [0-9a-f]{8} of Demo \(SQLite\)#main\.products \(501 rows/,
    );
    await byTestId(page(), 'import-dialog').getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => entries.count()).toBe(2);

    await page()
      .locator('[data-testid="tree-item"][data-path="main.customers"]')
      .click({ button: 'right' });
    await byTestId(page(), 'tree-snapshot').click();
    await expect(
      page().locator('[data-testid="snapshot-dialog"] h2').innerText(),
    ).resolves.toContain('Demo (SQLite)#main.customers');
    await byTestId(page(), 'snapshot-dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it('shows a running snapshot’s rows and rate, and cancels it storing nothing', async () => {
    await openDataset(page(), 'Demo (SQLite)', 'main.sales');
    await byTestId(page(), 'dataset-snapshot').click();
    const dialog = byTestId(page(), 'snapshot-dialog');
    await byTestId(dialog, 'snapshot-start').click();
    const rows = byTestId(dialog, 'versions-progress-rows');
    await expect
      .poll(async () => Number((await rows.innerText()).split(' ')[0]!.replace(/,/g, '')), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await expect(rows.innerText()).resolves.toMatch(/of 1,000,000 \(\d+%\)/);
    await byTestId(dialog, 'versions-cancel').click();
    await byTestId(dialog, 'snapshot-cancelled').waitFor({ timeout: 30_000 });
    const stored = await app.host.call('listSnapshots', {});
    expect(stored.filter((s) => s.dataset.path.includes('sales'))).toEqual([]);
  });
});
