/** SeenKeys answers exactly like a Map of every key to its first line, however keys arrive. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenKeys, type KeyValue } from '../../electron/ingest/seen-keys.js';

/** Feeds keys as the validator does (get, then set when new) to SeenKeys and to a Map. */
function agree(keys: KeyValue[], lines: number[]): void {
  const seen = new SeenKeys();
  const reference = new Map<KeyValue, number>();
  keys.forEach((key, i) => {
    expect(seen.get(key)).toBe(reference.get(key));
    if (reference.get(key) === undefined) {
      seen.set(key, lines[i]!);
      reference.set(key, lines[i]!);
    }
  });
  for (const key of [...keys, 0, -1, 0.5, 1e300, 'x', 2n ** 64n])
    expect(seen.get(key)).toBe(reference.get(key));
}

describe('SeenKeys', () => {
  it('consecutive integers on consecutive lines: the first line of each, duplicates found', () => {
    const seen = new SeenKeys();
    for (let i = 1; i <= 100_000; i++) seen.set(i, i + 1);
    expect(seen.get(1)).toBe(2);
    expect(seen.get(77_777)).toBe(77_778);
    expect(seen.get(100_001)).toBeUndefined();
    expect(seen.get(0)).toBeUndefined();
    expect(seen.get(5.5)).toBeUndefined();
    expect(seen.get('5')).toBeUndefined();
  });

  it('agrees with a Map on runs with gaps, skipped lines, keys out of order and other types', () => {
    const key = fc.oneof(
      fc.integer({ min: -5, max: 60 }),
      fc.constantFrom(0.5, -0, Number.MAX_SAFE_INTEGER + 2, 'a', '1', 3n, true),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.integer({ min: 1, max: 3 })), { maxLength: 200 }),
        (steps) => {
          let line = 1;
          const lines = steps.map(([, step]) => (line += step));
          agree(
            steps.map(([k]) => k),
            lines,
          );
        },
      ),
    );
    const ascending = Array.from({ length: 500 }, (_, i) => i + (i > 250 ? 3 : 0));
    agree(
      ascending,
      ascending.map((_, i) => i + 2 + (i > 100 ? 1 : 0)),
    );
  });
});
