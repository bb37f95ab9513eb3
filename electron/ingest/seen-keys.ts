/**
 * The values a unique column has had so far, each with the line it was first on: what the unique
 * and key checks look up for every row. A Map of every value costs ~30–80 bytes a row, which for
 * a 1 GB file is more memory than the whole load may use; but keys in a file are mostly
 * consecutive integers in order (1, 2, 3… on consecutive lines), and those are kept here as runs
 * — three numbers for a whole run. Anything else (text, out of order, past 2^53) goes to a Map,
 * so the worst case costs what the plain Map did.
 */
export type KeyValue = string | number | bigint | boolean;

export class SeenKeys {
  /** Run k: values starts[k]..ends[k], value v first on line lines[k] + (v - starts[k]). */
  private starts = new Float64Array(64);
  private ends = new Float64Array(64);
  private lines = new Float64Array(64);
  private runs = 0;
  private readonly scattered = new Map<KeyValue, number>();

  /** The line `key` was first on, or undefined when it has not been seen. */
  get(key: KeyValue): number | undefined {
    const n = this.runs;
    if (typeof key === 'number' && n > 0 && key >= this.starts[0]! && key <= this.ends[n - 1]!) {
      const k = this.runBefore(key);
      if (key <= this.ends[k]! && Number.isInteger(key))
        return this.lines[k]! + (key - this.starts[k]!);
    }
    return this.scattered.get(key);
  }

  /** Records a key not seen before (check with `get` first). */
  set(key: KeyValue, line: number): void {
    const n = this.runs;
    if (
      typeof key !== 'number' ||
      !Number.isSafeInteger(key) ||
      (n > 0 && key <= this.ends[n - 1]!)
    ) {
      this.scattered.set(key, line);
      return;
    }
    if (
      n > 0 &&
      key === this.ends[n - 1]! + 1 &&
      line === this.lines[n - 1]! + (key - this.starts[n - 1]!)
    ) {
      this.ends[n - 1] = key;
      return;
    }
    if (n === this.starts.length) this.grow();
    this.starts[n] = key;
    this.ends[n] = key;
    this.lines[n] = line;
    this.runs = n + 1;
  }

  /** The last run starting at or before `key` (which is ≥ the first run's start). */
  private runBefore(key: number): number {
    let lo = 0;
    let hi = this.runs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    for (const name of ['starts', 'ends', 'lines'] as const) {
      const next = new Float64Array(size);
      next.set(this[name]);
      this[name] = next;
    }
  }
}
