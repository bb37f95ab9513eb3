#!/usr/bin/env node
// The `strata` command. The built CLI (dist-electron/cli.js) when there is one; otherwise the
// TypeScript source through tsx, so a fresh checkout works without a build step.
import { existsSync } from 'node:fs';

const built = new URL('../dist-electron/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../electron/cli.ts', import.meta.url).href);
}
