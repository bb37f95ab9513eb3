/**
 * A diff's life as a job and on disk: cancelled, it leaves no files and says so; its changes
 * file is removed by closeDiff; files left by a process that is gone are removed at the next diff.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, snapshot, type Fixture } from '../versions/support.js';
import { diff } from './support.js';

let f: Fixture;
let taken: string;
const diffFiles = async () => (await fs.readdir(path.join(f.dir, 'diffs')).catch(() => [])).sort();

beforeAll(async () => {
  f = await createFixture(20_000, 'strata-diff-life-');
  taken = (await snapshot(f.host, f.sales)).id;
}, 60_000);
afterAll(async () => f.close());

describe('a diff job', () => {
  it('cancelled at once, ends cancelled and leaves no files', async () => {
    const { jobId } = await f.host.call('startDiff', {
      a: { kind: 'snapshot', snapshotId: taken },
      b: { kind: 'dataset', ref: f.sales },
    });
    expect(await f.host.call('cancelJob', { jobId })).toEqual({ cancelled: true });
    const status = await f.host.call('getDiffJob', { jobId, wait: true });
    expect(status.state).toBe('cancelled');
    expect(status.error?.code).toBe('cancelled');
    expect(await diffFiles()).toEqual([]);
  });

  it('keeps its changes until closeDiff, and a dead process’s files go at the next diff', async () => {
    const stale = path.join(f.dir, 'diffs', 'deadbeef-999999.sqlite');
    await fs.writeFile(stale, 'left by a crash');
    const summary = await diff(f.host, {
      a: { kind: 'snapshot', snapshotId: taken },
      b: { kind: 'dataset', ref: f.sales },
    });
    expect(summary.equal).toBe(true);
    // The leftover is gone only if its process is: pid 999999 does not exist here.
    expect(await diffFiles()).toEqual([`${summary.diffId}-${process.pid}.sqlite`]);
    await f.host.call('closeDiff', { diffId: summary.diffId });
    expect(await diffFiles()).toEqual([]);
  });
});
