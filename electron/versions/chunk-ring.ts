/**
 * Where a snapshot's chunks live from being cut until the worker has compressed them: one block
 * of shared memory, used as a ring, since chunks are cut, sent and finished in order. A chunk is
 * then never copied to cross to the worker (a view of shared memory is sent as it is), and no
 * buffer is made per chunk: a 1M-row snapshot had made ~600 of them, 42 MB in all, each garbage
 * once compressed, which is what grew a snapshot's memory with its row count.
 *
 * A chunk the ring has no room for (rare: the ring holds several groups of the largest chunks)
 * gets a buffer of its own, and works the same.
 */
export class ChunkRing {
  private readonly memory: Buffer;
  /** The live allocations, oldest first, as [start, end) in `memory`. */
  private readonly live: { start: number; end: number }[] = [];

  constructor(size: number) {
    this.memory = Buffer.from(new SharedArrayBuffer(size));
  }

  /** `size` bytes, in the ring when it has room. */
  alloc(size: number): Buffer {
    if (size === 0) return Buffer.alloc(0);
    const start = this.place(size);
    if (start === undefined) return Buffer.allocUnsafeSlow(size);
    this.live.push({ start, end: start + size });
    return this.memory.subarray(start, start + size);
  }

  /**
   * Frees `bytes` and every allocation made before it (which, in order, are done with too). A
   * buffer from outside the ring is left to the collector.
   */
  release(bytes: Uint8Array): void {
    if (bytes.buffer !== this.memory.buffer) return;
    const index = this.live.findIndex((a) => a.start === bytes.byteOffset - this.memory.byteOffset);
    if (index >= 0) this.live.splice(0, index + 1);
  }

  /** Where `size` free bytes start: after the newest allocation, or from the ring's start. */
  private place(size: number): number | undefined {
    const capacity = this.memory.length;
    const oldest = this.live[0];
    const newest = this.live.at(-1);
    if (!oldest || !newest) return size <= capacity ? 0 : undefined;
    if (newest.end > oldest.start) {
      // Not wrapped: room after the newest, else at the start, before the oldest.
      if (newest.end + size <= capacity) return newest.end;
      return size <= oldest.start ? 0 : undefined;
    }
    // Wrapped: the room is between the newest and the oldest.
    return newest.end + size <= oldest.start ? newest.end : undefined;
  }
}
