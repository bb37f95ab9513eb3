#!/usr/bin/env node
// The `strata` command. The built CLI (dist-electron/cli.js) when there is one; otherwise the
// TypeScript source through tsx, so a fresh checkout works without a build step.
// STRATA_CLI_SOURCE=1 forces the source even beside a build, which may be stale (the tests use it).
import { existsSync } from 'node:fs';

const built = new URL('../dist-electron/cli.js', import.meta.url);
if (existsSync(built) && !process.env.STRATA_CLI_SOURCE) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../electron/cli.ts', import.meta.url).href);
}
