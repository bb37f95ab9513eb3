/**
 * Offset paging over a cursor: a fake SCAN whose batches vary in size and are sometimes empty
 * (as MATCH makes them), checked for no repeats and no gaps however pages are cut, for resuming
 * from remembered cursors rather than rescanning, and for counts that continue the same scan.
 */
import { describe, expect, it } from 'vitest';
import { CursorPager, type ReadBatch } from '../../electron/backends/redis/cursor-pager.js';

/** 1,000 items in batches of 0–9 items; the cursor is the batch number. */
function fakeScan() {
  const batches: number[][] = [];
  let next = 0;
  for (let b = 0; next < 1_000; b++) {
    const size = Math.min((b * 7) % 10, 1_000 - next);
    batches.push(Array.from({ length: size }, (_, i) => next + i));
    next += size;
  }
  const calls: string[] = [];
  const read: ReadBatch<number> = async (cursor) => {
    calls.push(cursor);
    const b = Number(cursor);
    return { items: batches[b]!, next: b + 1 < batches.length ? String(b + 1) : undefined };
  };
  return { read, calls, batches };
}

describe('CursorPager', () => {
  it('reads every item once, whatever the page size', async () => {
    for (const size of [1, 3, 10, 64, 999, 1_000, 5_000]) {
      const pager = new CursorPager(fakeScan().read, '0');
      const seen: number[] = [];
      for (let offset = 0; offset < 1_000; offset += size) {
        seen.push(...(await pager.read(offset, size)));
      }
      expect(seen).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
      expect(await pager.read(1_000, 10)).toEqual([]);
    }
  });

  it('resumes from the batch where the previous page stopped, and jumps back without rescanning', async () => {
    const scan = fakeScan();
    const pager = new CursorPager(scan.read, '0');
    await pager.read(0, 100);
    const afterFirst = scan.calls.length;
    expect(await pager.read(100, 100)).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i));
    // Page 2 starts at the cursor page 1 stopped at, not at cursor 0.
    expect(scan.calls[afterFirst]).not.toBe('0');
    const before = scan.calls.length;
    expect(await pager.read(50, 5)).toEqual([50, 51, 52, 53, 54]);
    expect(scan.calls.length - before).toBeLessThanOrEqual(2);
  });

  it('counts by continuing the scan, learns the total, and collects everything under a limit', async () => {
    const scan = fakeScan();
    const pager = new CursorPager(scan.read, '0');
    await pager.read(0, 500);
    const before = scan.calls.length;
    expect(await pager.count()).toBe(1_000);
    expect(scan.calls.length - before).toBeLessThan(scan.batches.length - 50);
    expect(pager.knownTotal).toBe(1_000);
    expect(await pager.all(999)).toBeUndefined();
    expect(await pager.all(1_000)).toHaveLength(1_000);
  });

  it('stops a count when its signal is aborted', async () => {
    const pager = new CursorPager(fakeScan().read, '0');
    const controller = new AbortController();
    controller.abort();
    await expect(pager.count(controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
