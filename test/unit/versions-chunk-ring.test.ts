import { describe, expect, it } from 'vitest';
import { ChunkRing } from '../../electron/versions/chunk-ring.js';

const shared = (bytes: Buffer) => bytes.buffer instanceof SharedArrayBuffer;

describe('ChunkRing', () => {
  it('places chunks one after another in shared memory, and wraps once the oldest are released', () => {
    const ring = new ChunkRing(100);
    const a = ring.alloc(40);
    const b = ring.alloc(40);
    expect(shared(a) && shared(b)).toBe(true);
    expect(b.byteOffset).toBe(40);
    // 20 bytes left at the end: a 30-byte chunk does not fit, so it gets a buffer of its own.
    const c = ring.alloc(30);
    expect(c.buffer).not.toBe(a.buffer);
    ring.release(a);
    const d = ring.alloc(30); // wraps to the start, before b
    expect(d.buffer).toBe(a.buffer);
    expect(d.byteOffset).toBe(0);
    // Between d's end (30) and b's start (40) only 10 bytes are free.
    expect(ring.alloc(11).buffer).not.toBe(a.buffer);
    const e = ring.alloc(10);
    expect([e.buffer === a.buffer, e.byteOffset]).toEqual([true, 30]);
  });

  it('releases every chunk up to the one named, and ignores buffers from outside', () => {
    const ring = new ChunkRing(100);
    ring.alloc(30);
    ring.alloc(30);
    const third = ring.alloc(30);
    ring.release(Buffer.alloc(5));
    expect(ring.alloc(30).buffer).not.toBe(third.buffer); // still full
    ring.release(third);
    const again = ring.alloc(90);
    expect([again.buffer === third.buffer, again.byteOffset]).toEqual([true, 0]);
  });

  it('writes stay where they were put: chunks do not overlap', () => {
    const ring = new ChunkRing(64);
    const chunks = [ring.alloc(20), ring.alloc(20), ring.alloc(20)];
    chunks.forEach((chunk, i) => chunk.fill(i + 1));
    ring.release(chunks[0]!);
    const next = ring.alloc(20);
    next.fill(9);
    expect([...new Set(chunks[1])]).toEqual([2]);
    expect([...new Set(chunks[2])]).toEqual([3]);
  });
});
