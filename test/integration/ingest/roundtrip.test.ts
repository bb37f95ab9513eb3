/**
 * Property: any table, written as CSV (quoted where it must be, sometimes where it need not be),
 * ingested with its column types, reads back equal — every logical type, NULLs, '' in text,
 * text full of delimiters, quotes, line breaks and non-BMP characters, every delimiter and
 * line ending. Many runs through the reader in-process, fewer through the whole pipeline (worker
 * and all); stores.test.ts runs it into every SQL store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestPlan } from '../../../shared/ingest.js';
import type { WriteValue } from '../../../electron/backends/writer.js';
import { readFile } from '../../../electron/ingest/reader.js';
import { runIngest } from '../../../electron/ingest/run-ingest.js';
import { compilePlan } from '../../../electron/ingest/target.js';
import { collectingBackend } from './support.js';
import { expected, tables, writeCsv } from './tables.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-ingest-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readInProcess(plan: IngestPlan): Promise<WriteValue[][]> {
  const compiled = compilePlan(plan, plan.columns.length);
  const rows: WriteValue[][] = [];
  const result = await readFile(
    {
      file: plan.file,
      dialect: plan.dialect,
      check: compiled.check,
      policy: 'reject-file',
      dryRun: false,
      batchRows: 7,
    },
    {
      batch: async (batch) => void rows.push(...batch),
      progress: () => undefined,
      rejecting: () => undefined,
    },
  );
  expect(result.violations).toEqual([]);
  return rows;
}

let n = 0;

describe('any table written as CSV reads back equal', () => {
  it('through the reader (decode, split, convert, validate)', async () => {
    await fc.assert(
      fc.asyncProperty(tables, async (table) => {
        const plan = writeCsv(table, path.join(dir, `t${n++}.csv`));
        expect(await readInProcess(plan)).toEqual(expected(table));
      }),
      { numRuns: 300 },
    );
  });

  it('through the whole pipeline, worker included', async () => {
    await fc.assert(
      fc.asyncProperty(tables, async (table) => {
        const plan = writeCsv(table, path.join(dir, `p${n++}.csv`));
        const backend = collectingBackend();
        const output = await runIngest(plan, backend, {
          signal: new AbortController().signal,
          onProgress: () => undefined,
        });
        expect(output.summary.outcome).toBe('loaded');
        expect(backend.collected.rows).toEqual(expected(table));
      }),
      { numRuns: 15 },
    );
  });
});
