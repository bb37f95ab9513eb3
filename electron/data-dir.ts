/**
 * Where Strata keeps its data when run headless (CLI, web host): `--data-dir`, else
 * `STRATA_DATA_DIR`, else the same folder Electron uses as `userData`, so the app and the CLI see
 * the same saved connections.
 */
import os from 'node:os';
import path from 'node:path';

export const appName = 'Strata';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.STRATA_DATA_DIR) return path.resolve(env.STRATA_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
}
