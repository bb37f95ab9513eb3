/**
 * The grid's page cache: rows fetched in fixed blocks, kept in a small LRU. The grid says which
 * blocks it can see (`want`); missing ones are fetched, and in-flight fetches for blocks that
 * scrolled away are aborted, which cancels the query in the host. One cache serves one dataset
 * view (ref + sort + filters); a new view gets a new cache.
 */
import type { CellValue } from '../../../shared/model';
import type { AppError } from '../../../shared/errors';
import { isCancelled, toAppError } from '../../api';
import { spuriousCancelRetries } from '../../hooks/useAsync';

export const blockSize = 200;

export type FetchBlock = (
  offset: number,
  limit: number,
  signal: AbortSignal,
) => Promise<CellValue[][]>;

export class BlockCache {
  private readonly blocks = new Map<number, CellValue[][]>();
  private readonly inFlight = new Map<number, AbortController>();
  private readonly errors = new Map<number, AppError>();
  private readonly listeners = new Set<() => void>();
  /** Bumped on every change so React can subscribe with useSyncExternalStore. */
  version = 0;

  constructor(
    private readonly fetchBlock: FetchBlock,
    private readonly capacity = 48,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  row(index: number): CellValue[] | undefined {
    return this.blocks.get(Math.floor(index / blockSize))?.[index % blockSize];
  }

  hasBlock(block: number): boolean {
    return this.blocks.has(block);
  }

  isLoading(block: number): boolean {
    return this.inFlight.has(block);
  }

  error(block: number): AppError | undefined {
    return this.errors.get(block);
  }

  /** Fetch what is wanted and missing; abort what is in flight and no longer wanted. */
  want(blocks: readonly number[]): void {
    const wanted = new Set(blocks);
    for (const [block, controller] of this.inFlight) {
      if (!wanted.has(block)) {
        controller.abort();
        this.inFlight.delete(block);
      }
    }
    for (const block of blocks) {
      if (this.blocks.has(block)) this.touch(block);
      else if (!this.inFlight.has(block) && !this.errors.has(block)) void this.load(block);
    }
  }

  /** A block for copying: from the cache, or fetched (not abortable by scrolling). */
  async ensure(block: number, signal: AbortSignal): Promise<CellValue[][]> {
    const cached = this.blocks.get(block);
    if (cached) return cached;
    const rows = await this.fetchBlock(block * blockSize, blockSize, signal);
    this.store(block, rows);
    return rows;
  }

  /** Abort everything in flight (the view changed or the grid unmounted); `want` still works after. */
  abortAll(): void {
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
  }

  private async load(block: number): Promise<void> {
    const controller = new AbortController();
    this.inFlight.set(block, controller);
    this.changed();
    try {
      // The host may report a call cancelled that this side did not cancel (it shared work with
      // a caller that went away): ask again rather than leave the block loading for ever.
      for (let attempt = 0; ; attempt++) {
        try {
          const rows = await this.fetchBlock(block * blockSize, blockSize, controller.signal);
          if (!controller.signal.aborted) this.store(block, rows);
          return;
        } catch (error) {
          if (controller.signal.aborted) return;
          if (!isCancelled(error) || attempt >= spuriousCancelRetries) throw error;
        }
      }
    } catch (error) {
      this.errors.set(block, toAppError(error));
    } finally {
      if (this.inFlight.get(block) === controller) this.inFlight.delete(block);
      this.changed();
    }
  }

  private store(block: number, rows: CellValue[][]): void {
    this.blocks.delete(block);
    this.blocks.set(block, rows);
    this.errors.delete(block);
    while (this.blocks.size > this.capacity) {
      const oldest = this.blocks.keys().next().value;
      if (oldest === undefined) break;
      this.blocks.delete(oldest);
    }
    this.changed();
  }

  private touch(block: number): void {
    const rows = this.blocks.get(block);
    if (!rows) return;
    this.blocks.delete(block);
    this.blocks.set(block, rows);
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}
