/**
 * The nasty-CSV corpus: test/fixtures/csv/*.csv with what each must give in expected.json, plus
 * the two files too big to keep in git (a 10 MB field; a type broken after the sniff's sample),
 * generated on demand. Shared by the corpus tests of every store.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestPlanInput, RuleName, SniffRequest } from '../../../shared/ingest.js';

export const fixturesDir = fileURLToPath(new URL('../../fixtures/csv/', import.meta.url));

/** What one fixture must give; every part is optional, and only what is given is checked. */
export interface Expected {
  /** The file under test/fixtures/csv (the entry's name when absent). */
  file?: string;
  /** A file generated into a temporary folder instead. */
  generate?: 'big-field' | 'late-type-break';
  sniffWith?: Omit<SniffRequest, 'path'>;
  plan?: Partial<IngestPlanInput>;
  sniff?: {
    encoding?: string;
    delimiter?: string;
    header?: boolean;
    lineEnding?: string;
    escape?: string;
    /** A fragment of one of the notes. */
    note?: string;
    /** `name:type`, in order. */
    columns?: string[];
  };
  /** The load fails: an AppError code and a fragment of its message. */
  error?: { code: string; message: string };
  result?: { outcome: string; rowsRead: number; rowsLoaded: number; rowsRejected: number };
  violations?: Array<{ line: number; column?: string; rule: RuleName; message: string }>;
  /** Rows as written, bigints as {"$bigint": "…"}. */
  rows?: unknown[][];
  /** The rejects file, exactly. */
  rejects?: string;
  /** [row, length] of the first column after id, for the big field. */
  fieldLengths?: Array<[number, number]>;
}

export function expectations(): Array<[string, Expected]> {
  const text = readFileSync(path.join(fixturesDir, 'expected.json'), 'utf8');
  return Object.entries(JSON.parse(text) as Record<string, Expected>);
}

/** The file an entry reads: a fixture, or one generated into `tmp`. */
export function fixtureFile(name: string, expected: Expected, tmp: string): string {
  if (!expected.generate) return path.join(fixturesDir, expected.file ?? name);
  const file = path.join(tmp, `${expected.generate}.csv`);
  if (expected.generate === 'big-field') {
    // One field of 10,000,000 characters, quoted, with commas, quotes and newlines inside.
    const unit = 'abc,"d"\nefg ';
    const big = unit.repeat(Math.ceil(10_000_000 / unit.length)).slice(0, 10_000_000);
    const quoted = `"${big.replace(/"/g, '""')}"`;
    writeFileSync(file, `id,blob,tail\n1,${quoted},end\n2,small,x\n3,"",y\n`);
  } else {
    // 12,000 rows of integers; row 11,500 (line 11,502) says n/a — past the sniff's sample.
    const lines = ['id,qty'];
    for (let i = 1; i <= 12_000; i++) lines.push(`${i},${i === 11_501 ? 'n/a' : i * 3}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
  }
  return file;
}

/** Values as JSON can hold them: bigints tagged, bytes as hex. */
export function jsonRow(row: readonly unknown[]): unknown[] {
  return row.map((v) =>
    typeof v === 'bigint'
      ? { $bigint: v.toString() }
      : v instanceof Uint8Array
        ? { $hex: Buffer.from(v).toString('hex') }
        : v,
  );
}
