/**
 * Sniffing through the sniff worker, as the app and the CLI do: the same result or the same error
 * as sniffing in place, and a main thread that keeps answering while a huge sample is read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { sniffFile } from '../../../electron/ingest/sniff.js';
import { sniffOffMain } from '../../../electron/ingest/sniff-off-main.js';
import { fixturesDir } from './fixtures.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'strata-sniff-worker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The longest the main thread went without running a timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

describe('sniffing off the main thread', () => {
  it('gives what sniffing in place gives, overrides included', async () => {
    const file = path.join(fixturesDir, 'semicolon.csv');
    expect(await sniffOffMain({ path: file })).toEqual(await sniffFile({ path: file }));
    const asked = { path: file, delimiter: ',', header: false };
    expect(await sniffOffMain(asked)).toEqual(await sniffFile(asked));
  });

  it('fails as sniffing in place fails, with the same code and words', async () => {
    const empty = path.join(fixturesDir, 'empty.csv');
    const inPlace = await sniffFile({ path: empty }).catch((e: unknown) => e);
    const offMain = await sniffOffMain({ path: empty }).catch((e: unknown) => e);
    expect(offMain).toBeInstanceOf(AppError);
    expect((offMain as AppError).toJSON()).toEqual((inPlace as AppError).toJSON());
    const missing = await sniffOffMain({ path: path.join(tmp, 'absent.csv') }).catch((e) => e);
    expect((missing as AppError).code).toBe('not-found');
  });

  it('keeps the main thread free while a 10 MB field makes the sample grow', async () => {
    // Too few records in the first megabyte: the sample is read again at 8 and then 64 MiB.
    const field = 'abc,"d"\nefg '.repeat(850_000);
    const file = path.join(tmp, 'big-field.csv');
    writeFileSync(file, `id,blob\n1,"${field.replace(/"/g, '""')}"\n2,x\n`);
    const inPlace = await longestStall(() => sniffFile({ path: file }));
    let result: unknown;
    const offMain = await longestStall(async () => (result = await sniffOffMain({ path: file })));
    expect(result).toMatchObject({ sampledRows: 2, complete: true });
    // Measured: ~1.4 s without a timer in place, against a few ms through the worker.
    expect(offMain).toBeLessThan(inPlace / 2);
  });
});
