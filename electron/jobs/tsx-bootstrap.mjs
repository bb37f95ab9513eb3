// Starts a TypeScript worker from source: registers tsx in this thread, then loads the entry.
// Used only when running unbundled (tests, development); the built app ships plain .js workers.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
