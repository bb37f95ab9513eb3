// Builds the renderer once before the browser tests, so `npm test` works on a clean checkout.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  // Vitest sets NODE_ENV=test, which would make Vite build React's development bundle; the tests
  // should drive what users run.
  execFileSync(process.execPath, ['scripts/build.mjs', '--renderer'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
