// Builds the renderer once before the browser tests, so `npm test` works on a clean checkout.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--renderer'], { stdio: 'inherit' });
}
