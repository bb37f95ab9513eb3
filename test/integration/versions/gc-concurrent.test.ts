/**
 * Garbage collection while a snapshot is being written: the snapshot reuses objects that are
 * garbage at the moment it starts (their snapshot was deleted), while gc runs again and again.
 * Its pins must keep every one of them: afterwards verify is clean and it restores row for row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packOverhead } from '../../../electron/versions/packs.js';
import { createFixture, restore, snapshot, tableRows, type Fixture } from './support.js';

let f: Fixture;

beforeAll(async () => {
  f = await createFixture(60_000, 'strata-versions-gc-');
});
afterAll(async () => f?.close());

describe('gc during a snapshot', () => {
  it('never collects what a running snapshot needs', async () => {
    const old = await snapshot(f.host, f.sales, 'to be deleted');
    await f.host.call('deleteSnapshot', { snapshotId: old.id });
    const { jobId } = await f.host.call('createSnapshot', { ref: f.sales, message: 'during gc' });
    const finished = f.host.call('getVersionsJob', { jobId, wait: true });
    let running = true;
    void finished.finally(() => (running = false));
    let collections = 0;
    let freed = 0;
    let removed = 0;
    while (running) {
      const report = await f.host.call('collectGarbage', {});
      freed += report.bytesFreed;
      removed += report.objectsRemoved;
      collections++;
    }
    const status = await finished;
    expect(status.state, status.error?.message).toBe('done');
    expect(collections).toBeGreaterThan(1);
    // Whatever gc freed before the snapshot pinned it was written again, not lost. When gc
    // rewrote the old pack around the objects already pinned, that pack kept its header and the
    // snapshot's new pack has one of its own: the bytes then differ by exactly that header.
    expect(status.snapshot!.newChunks).toBe(removed);
    expect([0, packOverhead(0)]).toContain(status.snapshot!.newBytes - freed);
    expect((await f.host.call('verifyStore', {})).problems).toEqual([]);
    await restore(f.host, status.snapshot!.id, {
      connectionId: f.connectionId,
      path: ['main', 'back'],
    });
    expect(tableRows(f.file, 'back')).toEqual(tableRows(f.file, 'sales'));
  });
});
