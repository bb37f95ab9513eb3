/**
 * Which stored object a new chunk is best written as a delta of: the parent snapshot's chunk whose
 * key range holds the new chunk's first key. Content-defined boundaries depend only on the keys,
 * so a chunk changed by an edit has the same range as the one it replaces, and the two differ by
 * little more than the edit.
 *
 * The choice only decides how small the delta is, never whether it reads back right, so key ranges
 * are compared as the manifest keeps them (long text and blobs cut short) without harm.
 */
import type { CellValue } from '../../shared/model.js';
import { compareKeys } from '../backends/scan.js';
import type { RowValue } from './canonical.js';
import type { DeltaBase } from './codec.js';
import type { ChunkRef } from './manifest.js';
import type { ObjectStore } from './object-store.js';

export class DeltaBases {
  private readonly firstKeys: RowValue[][];

  constructor(
    private readonly parentChunks: readonly ChunkRef[],
    private readonly store: ObjectStore,
  ) {
    this.firstKeys = parentChunks.map((chunk) => chunk.firstKey.map(keyValue));
  }

  /**
   * The whole object to compress a chunk starting at `firstKey` against: the covering parent
   * chunk, or the object it is itself a delta of. `pin` protects the base from a concurrent gc
   * before it is read. Undefined when there is no parent, or its object cannot be read (the chunk
   * is then stored whole: a damaged parent must not stop a snapshot).
   */
  async find(
    firstKey: readonly RowValue[],
    pin: (hash: string) => Promise<void>,
  ): Promise<DeltaBase | undefined> {
    const covering = this.covering(firstKey);
    if (covering === undefined) return undefined;
    try {
      const hash = (await this.store.baseOf(covering.hash)) ?? covering.hash;
      await pin(hash);
      return { hash, bytes: await this.store.readBase(hash, covering.hash) };
    } catch {
      return undefined;
    }
  }

  /** The last parent chunk whose first key is at or before `key` (or the first chunk). */
  private covering(key: readonly RowValue[]): ChunkRef | undefined {
    let low = 0;
    let high = this.firstKeys.length - 1;
    if (high < 0) return undefined;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (compareKeys(this.firstKeys[mid]!, key) <= 0) low = mid;
      else high = mid - 1;
    }
    return this.parentChunks[low];
  }
}

/** A manifest's key cell as a value to compare (text and blobs possibly cut short). */
function keyValue(cell: CellValue): RowValue {
  if (cell === null || typeof cell !== 'object') return cell;
  if ('$bigint' in cell) return BigInt(cell.$bigint);
  if ('$text' in cell) return cell.$text;
  if ('$blob' in cell) return Buffer.from(cell.head, 'hex');
  return null;
}
