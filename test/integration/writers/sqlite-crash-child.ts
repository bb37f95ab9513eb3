/**
 * Run by sqlite-extra.test.ts in a child process: starts a write into the file given, sends
 * 'written' once rows are in (uncommitted), and waits to be killed.
 */
import { createSqliteWriter } from '../../../electron/backends/sqlite/sqlite-writer.js';
import { target, volumeColumns, volumeRows } from './fixture.js';

const [file, mode] = process.argv.slice(2) as [string, 'create' | 'append' | 'replace'];
const session = await createSqliteWriter(file).begin(
  target(['main', 'precious'], mode, volumeColumns),
);
for (let i = 0; i < 20; i++) await session.write(volumeRows(10_000 + i * 5_000, 5_000));
// Let the worker get through its queue, so the transaction really holds the rows.
await new Promise((resolve) => setTimeout(resolve, 500));
process.send!('written');
setInterval(() => undefined, 1_000);
