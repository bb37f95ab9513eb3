/** Worker thread: generates the demo database into the given (temporary) file, with progress. */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { generateDemo } from './demo-data.js';

const { file } = workerData as { file: string };
const db = new Database(file);
try {
  // The file is renamed into place only when complete, so durability mid-way buys nothing.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  generateDemo(db, (done) => parentPort!.postMessage({ type: 'progress', done }));
} finally {
  db.close();
}
parentPort!.postMessage({ type: 'done' });
