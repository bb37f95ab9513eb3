// better-sqlite3 is a native module compiled for one runtime at a time: Node (tests, CLI, web
// host) or Electron (the app), whose ABIs differ. This rebuilds it for the runtime about to run
// when it was last built for the other, and remembers which one it is built for.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const wanted = process.argv[2];
if (wanted !== 'node' && wanted !== 'electron') {
  console.error('usage: node scripts/native-for.mjs node|electron');
  process.exit(2);
}
const marker = 'node_modules/better-sqlite3/build/strata-runtime.txt';
// A fresh `npm ci` builds for Node.
const current = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : 'node';
if (current !== wanted) {
  console.error(
    `Rebuilding better-sqlite3 for ${wanted} (it was built for ${current}); about a minute…`,
  );
  execSync(
    wanted === 'electron' ? 'npx electron-builder install-app-deps' : 'npm rebuild better-sqlite3',
    {
      stdio: 'inherit',
    },
  );
  writeFileSync(marker, `${wanted}\n`);
}
