/**
 * Saved connections through the connection dialog in Chromium, against a MariaDB user with a
 * password: add (URL + password, Test, Save), edit (the saved password is kept), a wrong
 * password refused with what to check, duplicate and delete from the connection's menu, and the
 * password never in the page once it is saved. Skips loudly without Chromium or MariaDB.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionOptions } from '../../electron/backends/mysql/mysql-engine.js';
import { configFromUrl } from '../../electron/backends/registry.js';
import { chromiumSkipReason } from '../support/chromium.js';
import { mysqlAvailable, mysqlUrl } from '../support/servers.js';
import { addConnectionByUrl, startApp, type RunningApp } from '../support/web-app.js';

const skipReason = chromiumSkipReason() ?? (await mysqlAvailable());
if (skipReason) console.warn(`\n*** SKIPPED connections e2e: ${skipReason} ***\n`);

const user = `strata_e2e_${randomBytes(3).toString('hex')}`;
const password = `pw-${randomBytes(8).toString('hex')}`;
const wrongPassword = `not-${randomBytes(8).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const config = configFromUrl(mysqlUrl);
  if (config?.kind !== 'mysql') throw new Error('MYSQL_URL is not a mysql:// URL');
  const connection = await mysql.createConnection(connectionOptions(config));
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

const connectionRow = (page: Page, name: string) =>
  page.locator('[data-testid="tree-connection"]', { hasText: name });

async function menu(page: Page, name: string, action: string): Promise<void> {
  await connectionRow(page, name).locator('[data-testid="connection-menu"]').click();
  await page.locator(`[data-testid="${action}"]`).click();
}

const pageHtml = (page: Page) => page.evaluate(() => document.documentElement.outerHTML);

describe.skipIf(skipReason !== undefined)('connections through the dialog', () => {
  let app: RunningApp;
  const server = () => {
    const config = configFromUrl(mysqlUrl);
    if (config?.kind !== 'mysql') throw new Error('MYSQL_URL is not a mysql:// URL');
    return `mysql://${user}@${config.host}:${config.port}`;
  };

  beforeAll(async () => {
    await admin(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
    await admin(`DROP USER IF EXISTS '${user}'@'%'`);
  });

  it('adds a connection with a password, which then is nowhere in the page', async () => {
    const { page } = app;
    await addConnectionByUrl(page, { url: server(), name: 'Maria e2e', password });
    const row = connectionRow(page, 'Maria e2e');
    await expect(row.getAttribute('data-engine')).resolves.toBe('MariaDB');
    const saved = (await app.host.call('listConnections', {})).find((c) => c.name === 'Maria e2e');
    expect(saved?.hasPassword).toBe(true);
    expect(await pageHtml(page)).not.toContain(password);
  });

  it('edits it: renamed, tested with the saved password, saved', async () => {
    const { page } = app;
    await menu(page, 'Maria e2e', 'connection-edit');
    const dialog = page.locator('[data-testid="connection-dialog"]');
    await expect(dialog.locator('h2').textContent()).resolves.toContain('Maria e2e');
    await expect(
      dialog.locator('[data-testid="connection-password"]').getAttribute('placeholder'),
    ).resolves.toContain('saved');
    await dialog.locator('[data-testid="connection-name"]').fill('Maria renamed');
    await dialog.locator('[data-testid="connection-test"]').click();
    await dialog.locator('[data-testid="connection-test-result"]').waitFor();
    await dialog.locator('[data-testid="connection-save"]').click();
    await dialog.waitFor({ state: 'detached' });
    await connectionRow(page, 'Maria renamed').waitFor();
    await expect(connectionRow(page, 'Maria e2e').count()).resolves.toBe(0);
    expect(await pageHtml(page)).not.toContain(password);
  });

  it('refuses a wrong password, saying what failed and what to check', async () => {
    const { page } = app;
    await menu(page, 'Maria renamed', 'connection-edit');
    const dialog = page.locator('[data-testid="connection-dialog"]');
    await dialog.locator('[data-testid="connection-password"]').fill(wrongPassword);
    await dialog.locator('[data-testid="connection-test"]').click();
    const error = dialog.locator('[data-testid="connection-error"]');
    await error.waitFor();
    await expect(error.locator('[role="alert"]').getAttribute('data-error-code')).resolves.toBe(
      'permission-denied',
    );
    await expect(error.locator('.error-message').textContent()).resolves.toContain(user);
    await expect(error.locator('.error-hint').textContent()).resolves.toMatch(/\w/);
    expect(await error.textContent()).not.toContain(wrongPassword);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Cancelled: the saved password still works.
    const saved = (await app.host.call('listConnections', {})).find(
      (c) => c.name === 'Maria renamed',
    )!;
    await expect(app.host.call('getTree', { connectionId: saved.id })).resolves.toBeInstanceOf(
      Array,
    );
    expect(await pageHtml(page)).not.toContain(wrongPassword);
  });

  it('duplicates it, then deletes the copy after asking', async () => {
    const { page } = app;
    await menu(page, 'Maria renamed', 'connection-duplicate');
    const copy = connectionRow(page, 'Maria renamed (copy)');
    await copy.waitFor();
    await expect(page.locator('[data-testid="toast"]').textContent()).resolves.toContain(
      'Maria renamed (copy)',
    );
    await menu(page, 'Maria renamed (copy)', 'connection-delete');
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.textContent()).resolves.toContain('Maria renamed (copy)');
    await confirm.locator('[data-testid="confirm"]').click();
    await copy.waitFor({ state: 'detached' });
    await expect(connectionRow(page, 'Maria renamed').count()).resolves.toBe(1);
    expect(await pageHtml(page)).not.toContain(password);
  });
});
