/**
 * The `strata` command as a user runs it: a child process on a data directory, with the exit
 * code and both outputs. From source, since a build in dist-electron may be stale — except where
 * STRATA_TEST_BUILT_CLI says the build was just made from this tree (CI builds before testing):
 * the bundle starts in a fraction of the time tsx needs to compile the sources.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/strata.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Generous: starting from source on a loaded 2-core machine has taken 10 s. */
const processTimeoutMs = 150_000;

export function runStrata(dataDir: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, '--data-dir', dataDir, ...args],
      {
        env: {
          ...process.env,
          STRATA_DATA_DIR: '',
          STRATA_CLI_SOURCE: process.env.STRATA_TEST_BUILT_CLI ? '' : '1',
        },
        timeout: processTimeoutMs,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
