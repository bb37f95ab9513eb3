/**
 * Run by crash.test.ts in a child process, to be killed (SIGKILL) at a random moment: works the
 * versions store in a loop — `snapshot` (change rows, snapshot, drop old snapshots), `gc`
 * (snapshot, delete the oldest, collect) or `restore` (restore snapshots over a table) — and
 * writes `ready` on stdout once its host is up.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { createHost } from '../../../electron/host.js';
import { restore, snapshot } from './support.js';

const [dataDir, op] = process.argv.slice(2) as [string, 'snapshot' | 'gc' | 'restore'];
const host = await createHost({ dataDir });
const shop = host.connections.list().find((c) => c.name === 'shop')!;
const sales = { connectionId: shop.id, path: ['main', 'sales'] };
const file = path.join(dataDir, 'shop.db');
process.stdout.write('ready\n');

let round = 0;
for (;;) {
  round++;
  if (op === 'snapshot' || op === 'gc') {
    const db = new Database(file);
    db.prepare('UPDATE sales SET note = ? WHERE id % 997 = ?').run(
      `round ${round} ${process.pid}`,
      round % 997,
    );
    db.close();
    await snapshot(host, sales, `${op} round ${round}`);
    const all = await host.call('listSnapshots', {});
    for (const old of all.slice(0, Math.max(0, all.length - 4))) {
      await host.call('deleteSnapshot', { snapshotId: old.id });
    }
    if (op === 'gc') await host.call('collectGarbage', {});
  } else {
    const all = await host.call('listSnapshots', {});
    const pick = all[round % all.length]!;
    await restore(host, pick.id, { connectionId: shop.id, path: ['main', 'restored'] }, 'replace');
  }
}
