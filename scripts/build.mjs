// Builds Strata: the renderer with Vite, and the main process, preload and workers with esbuild.
// `--renderer` builds only the renderer (what the web host and the browser tests need).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';

const rendererOnly = process.argv.includes('--renderer');
// `--main-only --outdir=DIR`: only the main-process bundles, elsewhere (the benchmarks measure the
// CLI as shipped without leaving a dist-electron/ that bin/strata.js would then prefer).
const mainOnly = process.argv.includes('--main-only');
const outdir =
  process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist-electron';

if (!mainOnly) await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });

if (!rendererOnly) {
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // ssh2 loads optional native crypto (and cpu-features) with require() of .node files that
    // esbuild cannot bundle; like better-sqlite3 it is loaded from node_modules at run time.
    external: ['electron', 'better-sqlite3', 'ssh2', 'zstd-napi'],
    define: { __STRATA_BUNDLED__: 'true' },
    logLevel: 'warning',
  };
  await esbuild({
    ...common,
    format: 'esm',
    outdir,
    // Code shared by the entries, and what they import only when needed (each engine's driver:
    // registry.ts), goes into chunks of its own, so a process parses only what it runs.
    splitting: true,
    // Beside the entries: worker-entry.ts finds the workers' files next to its own.
    chunkNames: '[name]-[hash]',
    entryPoints: {
      main: 'electron/main.ts',
      cli: 'electron/cli.ts',
      'sqlite-reader': 'electron/backends/sqlite/sqlite-worker.ts',
      'sqlite-writer': 'electron/backends/sqlite/sqlite-writer-worker.ts',
      'sqlite-scan': 'electron/backends/sqlite/sqlite-scan-worker.ts',
      'demo-generator': 'electron/demo/demo-worker.ts',
      'file-datasets': 'electron/backends/file-datasets/worker.ts',
      ingest: 'electron/ingest/ingest-worker.ts',
      sniff: 'electron/ingest/sniff-worker.ts',
      versions: 'electron/versions/versions-worker.ts',
    },
    banner: {
      // Bundled ESM still meets CommonJS dependencies that call require().
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  // A sandboxed preload cannot be an ES module.
  await esbuild({
    ...common,
    format: 'cjs',
    entryPoints: ['electron/preload.ts'],
    outfile: `${outdir}/preload.cjs`,
  });
}
