/**
 * End to end in Chromium through the web host: add a PostgreSQL database and a Redis database
 * through the connection dialog, browse a table and a set of hashes, sort and filter them,
 * check what the grid shows against the stores themselves, and save the README's screenshots.
 * Each part skips loudly when its server (or Chromium) is missing.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason } from '../support/chromium.js';
import {
  createPostgresDatabase,
  postgresAvailable,
  type TestDatabase,
} from '../support/servers.js';
import type { PostgresConfig } from '../../electron/backends/postgres/postgres-backend.js';
import { deleteUnder, rawClient, redisAvailable, redisUrl } from '../integration/redis/support.js';
import {
  addConnectionByUrl,
  expandSchema,
  filterColumn,
  gridCell,
  gridSettled,
  sortColumn,
  openDataset,
  patchSchemasOnTheWire,
  startApp,
  type RunningApp,
} from '../support/web-app.js';

const chromiumSkip = chromiumSkipReason();
const postgresSkip = chromiumSkip ?? (await postgresAvailable());
const redisSkip = chromiumSkip ?? (await redisAvailable());
if (postgresSkip) console.warn(`\n*** SKIPPED PostgreSQL e2e: ${postgresSkip} ***\n`);
if (redisSkip) console.warn(`\n*** SKIPPED Redis e2e: ${redisSkip} ***\n`);

const scriptText = '<script>alert(1)</script>';
const rows = 5_000;
const ordersSql = `
  CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer text NOT NULL,
    note text,
    amount numeric(10,2) NOT NULL,
    quantity integer NOT NULL,
    placed_at timestamptz NOT NULL,
    shipped_at timestamp,
    meta jsonb
  );
  INSERT INTO orders
  SELECT g,
    (ARRAY['Ada Lovelace','Grace Hopper','Alan Turing','Edsger Dijkstra','Barbara Liskov',
           'Donald Knuth','Frances Allen','Ken Thompson'])[1 + g % 8],
    CASE WHEN g = 41 THEN '${scriptText}' WHEN g % 7 = 0 THEN 'leave at the door'
         WHEN g % 13 = 0 THEN 'gift — wrap it' ELSE NULL END,
    CASE WHEN g = 41 THEN 9999.99 ELSE ((g * 7919) % 500000) / 100.0 END,
    1 + g % 9,
    timestamptz '2024-01-01 08:00:00+00' + g * interval '37 minutes',
    CASE WHEN g % 5 = 0 THEN NULL ELSE timestamp '2024-01-02 09:30:00' + g * interval '41 minutes' END,
    jsonb_build_object('channel', (ARRAY['web','shop','phone'])[1 + g % 3], 'items', 1 + g % 4,
                       'tags', jsonb_build_array('e2e', g % 2 = 0))
  FROM generate_series(1, ${rows}) g;
  CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 4000;
  CREATE MATERIALIZED VIEW customer_totals AS
    SELECT customer, count(*) AS orders, sum(amount) AS total FROM orders GROUP BY customer;
  ANALYZE orders;`;

/** The test server's URL (REDIS_URL, or the machine's own), on logical database `db`. */
function redisUrlFor(db: number): string {
  const url = new URL(redisUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

const rowCount = (page: Page) =>
  page.locator('[data-testid="data-grid"]').getAttribute('aria-rowcount');

let app: RunningApp | undefined;
const running = () => app!;
beforeAll(async () => {
  if (postgresSkip && redisSkip) return;
  app = await startApp();
  mkdirSync('docs/screenshots', { recursive: true });
});
afterAll(async () => {
  await app?.close();
});

describe.skipIf(postgresSkip !== undefined)('a PostgreSQL table', () => {
  let db: TestDatabase<PostgresConfig>;
  const query = async <T extends pg.QueryResultRow>(sql: string) => {
    const client = new pg.Client(db.config);
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.exec(ordersSql);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is added through the dialog and shows its tables, views and estimated counts', async () => {
    const { page } = running();
    await addConnectionByUrl(page, { url: db.url, name: 'Orders (PostgreSQL)' });
    const connection = page.locator('[data-testid="tree-connection"]', {
      hasText: 'Orders (PostgreSQL)',
    });
    await expect(connection.getAttribute('data-engine')).resolves.toBe('PostgreSQL');
    await expandSchema(page, 'public');
    const orders = page.locator('[data-testid="tree-item"][data-path="public.orders"]');
    await expect.poll(() => orders.textContent()).toContain('~5,000');
    await expect(orders.locator('[data-testid="tree-count"]').getAttribute('title')).resolves.toBe(
      'estimated',
    );
    const kinds = await page
      .locator('[data-testid="tree-item"][data-path^="public."]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    expect(kinds.sort()).toEqual(['materialized-view', 'table', 'view']);
  });

  it('opens orders, sorts and filters them as the database does', async () => {
    const { page } = running();
    await openDataset(page, 'Orders (PostgreSQL)', 'public.orders');
    await gridSettled(page);
    await expect.poll(() => rowCount(page)).toBe(String(rows));
    const [first] = await query<{ placed: string; shipped: string; amount: string }>(
      'SELECT placed_at::text AS placed, shipped_at::text AS shipped, amount FROM orders WHERE id = 1',
    );
    await expect(gridCell(page, 1, 'id').textContent()).resolves.toBe('1');
    await expect(gridCell(page, 1, 'placed_at').textContent()).resolves.toBe(first!.placed);
    await expect(gridCell(page, 1, 'shipped_at').textContent()).resolves.toBe(first!.shipped);
    await expect(gridCell(page, 1, 'amount').textContent()).resolves.toBe(first!.amount);
    await expect(gridCell(page, 5, 'shipped_at').textContent()).resolves.toBe('NULL');

    await sortColumn(page, 'amount', 'desc');
    const top = await query<{ id: number; amount: string }>(
      'SELECT id, amount FROM orders ORDER BY amount DESC, id LIMIT 5',
    );
    for (const [i, row] of top.entries()) {
      await expect.poll(() => gridCell(page, i + 1, 'id').textContent()).toBe(String(row.id));
      await expect(gridCell(page, i + 1, 'amount').textContent()).resolves.toBe(row.amount);
    }

    await filterColumn(page, 'customer', 'contains', 'hopper');
    const [counted] = await query<{ count: string }>(
      "SELECT count(*) FROM orders WHERE customer ILIKE '%hopper%'",
    );
    await expect.poll(() => rowCount(page)).toBe(counted?.count);
    await gridSettled(page);
    const hopper = await query<{ id: number }>(
      "SELECT id FROM orders WHERE customer ILIKE '%hopper%' ORDER BY amount DESC, id LIMIT 3",
    );
    for (const [i, row] of hopper.entries()) {
      await expect.poll(() => gridCell(page, i + 1, 'id').textContent()).toBe(String(row.id));
    }
    await expect(gridCell(page, 2, 'customer').textContent()).resolves.toBe('Grace Hopper');
  });

  it('renders the <script> note literally, and saves the screenshot', async () => {
    const { page } = running();
    // Order 41 is Grace Hopper's and the most expensive: first under this sort and filter.
    await expect.poll(() => gridCell(page, 1, 'note').textContent()).toBe(scriptText);
    expect(await page.locator('[data-testid="data-grid"] script').count()).toBe(0);
    await expect
      .poll(() => page.locator('[data-testid="row-count"]').textContent())
      .not.toContain('counting');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/postgres.png' });
  });

  it('shows a table created since, after Refresh', async () => {
    const { page } = running();
    await db.exec('CREATE TABLE late_arrivals (id integer PRIMARY KEY)');
    const late = page.locator('[data-testid="tree-item"][data-path="public.late_arrivals"]');
    await expect(late.count()).resolves.toBe(0);
    const connection = page.locator('[data-testid="tree-connection"]', {
      hasText: 'Orders (PostgreSQL)',
    });
    await connection.hover();
    await connection.locator('[data-testid="tree-refresh"]').click();
    await late.waitFor();
    // The open view kept its sort and filter and fetched again.
    await gridSettled(page);
    await expect.poll(() => gridCell(page, 1, 'note').textContent()).toBe(scriptText);
  });

  it('offers "{ } Document" on rows when the schema names a document column', async () => {
    // No MongoDB server runs here, and the renderer follows only the schema's documentColumn:
    // so this table's schema gets one on the wire, naming its jsonb column `meta`.
    const { page } = running();
    await patchSchemasOnTheWire(page, (schema) =>
      schema.columns.some((c) => c.name === 'meta')
        ? { ...schema, documentColumn: 'meta' }
        : schema,
    );
    await page.reload();
    await openDataset(page, 'Orders (PostgreSQL)', 'public.orders');
    await gridSettled(page);
    const [order] = await query<{ meta: string }>('SELECT meta::text FROM orders WHERE id = 2');
    const gutter = page.locator('[role="row"][aria-rowindex="2"] [role="rowheader"]');
    await gutter.click({ button: 'right' });
    await page.locator('[data-testid="row-document"]').click();
    const viewer = page.locator('[data-testid="cell-viewer"][data-document="true"]');
    const json = viewer.locator('[data-testid="json-text"]');
    const pretty = JSON.stringify(JSON.parse(order!.meta), null, 2);
    await expect.poll(() => json.textContent()).toBe(pretty);
    expect(await json.locator('.json-key').count()).toBe(3);
    await page.keyboard.press('Escape');
    // From a cell's viewer too: double-click a cell, then "{ } Document".
    await gridCell(page, 3, 'customer').dblclick();
    await page.locator('[data-testid="viewer-document"]').click();
    await expect.poll(() => viewer.locator('.json-key').count()).toBe(3);
    await page.keyboard.press('Escape');
  });
});

describe.skipIf(redisSkip !== undefined)('a Redis hash per user, as a table', () => {
  const db = 14;
  const prefix = `strata-e2e:${randomBytes(4).toString('hex')}:user:`;
  const client = rawClient(db);
  const users = Array.from({ length: 300 }, (_, i) => ({
    id: i + 1,
    name: `User ${String(i + 1).padStart(3, '0')}`,
    age: 18 + ((i * 37) % 60),
    email: `user${i + 1}@example.com`,
    active: i % 3 === 0 ? 'false' : 'true',
  }));
  beforeAll(async () => {
    await client.connect();
    const batch = client.pipeline();
    for (const { id, ...fields } of users) batch.hset(`${prefix}${id}`, fields);
    await batch.exec();
  });
  afterAll(async () => {
    await deleteUnder(client, prefix).catch(() => undefined);
    client.disconnect();
  });

  it('is added through the dialog and opens its hashes as a table', async () => {
    const { page } = running();
    await addConnectionByUrl(page, {
      url: redisUrlFor(db),
      name: 'Users (Redis)',
    });
    await expandSchema(page, `db${db}`);
    const path = `db${db}.hashes.${prefix}`;
    const item = page.locator(`[data-testid="tree-item"][data-path="${path}"]`);
    await expect.poll(() => item.textContent()).toContain(`${prefix}* as a table`);
    await item.click();
    await gridSettled(page);
    await expect.poll(() => rowCount(page)).toBe('300');
    const columns = await page
      .locator('[role="columnheader"][data-column]')
      .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-column')));
    expect(columns.slice(1).sort()).toEqual(['active', 'age', 'email', 'name']);
    // Unsorted, rows come in Redis's SCAN order: check one against what was written.
    const keyColumn = columns[0]!;
    const id = Number(await gridCell(page, 1, keyColumn).textContent());
    const user = users.find((u) => u.id === id)!;
    await expect(gridCell(page, 1, 'email').textContent()).resolves.toBe(user.email);
    await expect(gridCell(page, 1, 'age').textContent()).resolves.toBe(String(user.age));
  });

  it('sorts by age in memory, ties by key, and saves the screenshot', async () => {
    const { page } = running();
    await sortColumn(page, 'age', 'desc');
    await expect(page.locator('[data-testid="view-note"]').textContent()).resolves.toContain(
      'in memory',
    );
    const expected = [...users].sort((a, b) => b.age - a.age || a.id - b.id);
    const keyHeader = page.locator('[role="columnheader"][data-column]').first();
    const key = (await keyHeader.getAttribute('data-column'))!;
    for (const [i, user] of expected.slice(0, 5).entries()) {
      await expect.poll(() => gridCell(page, i + 1, key).textContent()).toBe(String(user.id));
      await expect(gridCell(page, i + 1, 'name').textContent()).resolves.toBe(user.name);
    }
    // Wider, so the long key prefixes in the tree can be read.
    const handle = (await page.locator('[data-testid="sidebar-resizer"]').boundingBox())!;
    await page.mouse.move(handle.x + 3, 300);
    await page.mouse.down();
    await page.mouse.move(handle.x + 120, 300, { steps: 4 });
    await page.mouse.up();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/redis.png' });
  });
});
