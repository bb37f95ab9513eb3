// `npm run bench`: runs every benchmark in turn; each prints its table and writes
// test/bench/results/<name>.md and .json. `npm run bench -- grid` runs only the named ones.
const benches: Record<string, () => Promise<unknown>> = {
  grid: () => import('./grid.bench.js'),
  'sql-first-page': () => import('./sql-first-page.js'),
  'redis-scan': () => import('./redis-scan.bench.js'),
  files: () => import('./files.bench.js'),
  ingest: () => import('./ingest.bench.js'),
  'sql-writers': () => import('./sql-writers.bench.js'),
  versions: () => import('./versions.bench.js'),
  'diff-live': () => import('./diff-live.bench.js'),
  diff: () => import('./diff.bench.js'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stdout.write(`\n== bench: ${name}\n`);
  await run();
}
export {};
