/**
 * Every file of the nasty-CSV corpus through sniff and the whole pipeline (worker included) into
 * a store that collects what it is given, asserting the exact outcome expected.json lists: the
 * sniffed dialect and types, the error, or the counts, violations, rows and rejects file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SniffResult } from '../../../shared/ingest.js';
import { sniffFile } from '../../../electron/ingest/sniff.js';
import { expectations, fixtureFile, jsonRow } from './fixtures.js';
import { runIngest } from '../../../electron/ingest/run-ingest.js';
import { checkSniff, collectingBackend, expectError, ingest, planFrom } from './support.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'strata-ingest-corpus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the nasty-CSV corpus, into a collecting store', () => {
  for (const [name, expected] of expectations()) {
    it(name, async () => {
      const file = fixtureFile(name, expected, tmp);
      const rejectsPath = path.join(tmp, `${name.replace(/\W+/g, '_')}.rejects.csv`);
      const plan = { ...expected.plan, ...(expected.rejects ? { rejectsPath } : {}) };
      if (expected.error && !expected.sniff) {
        await expectError(sniffFile({ path: file, ...expected.sniffWith }), expected.error);
        // The pipeline refuses the file the same way when it is given a plain plan for it.
        const backend = collectingBackend();
        const signal = new AbortController().signal;
        const run = runIngest(planFrom(plainSniff(file)), backend, {
          signal,
          onProgress: () => undefined,
        });
        await expectError(run, expected.error);
        expect(backend.collected.committed).toBe(false);
        return;
      }
      const sniff = await sniffFile({ path: file, ...expected.sniffWith });
      if (expected.sniff) checkSniff(sniff, expected.sniff);
      const backend = collectingBackend();
      const run = ingest(file, {
        ...(expected.sniffWith ? { sniff: expected.sniffWith } : {}),
        plan,
        backend,
      });
      if (expected.error) {
        await expectError(run, expected.error);
        expect(backend.collected.committed).toBe(false);
        return;
      }
      const { output } = await run;
      if (expected.result) expect(output.summary).toMatchObject(expected.result);
      if (expected.violations) {
        expect(output.report.violations).toEqual(
          expected.violations.map((v) => expect.objectContaining(v) as unknown),
        );
      }
      const { collected } = backend;
      expect(collected.committed).toBe(output.summary.outcome === 'loaded');
      expect(collected.aborted).toBe(output.summary.outcome !== 'loaded');
      if (expected.rows) expect(collected.rows.map(jsonRow)).toEqual(expected.rows);
      if (expected.rejects) expect(readFileSync(rejectsPath, 'utf8')).toBe(expected.rejects);
      for (const [row, length] of expected.fieldLengths ?? []) {
        expect((collected.rows[row - 1]![1] as string).length).toBe(length);
      }
    });
  }
});

/** A sniff for a file the sniffer refuses: comma-separated UTF-8 with a header, two text columns. */
function plainSniff(file: string): SniffResult {
  const stats = {
    values: 0,
    nulls: 0,
    empty: 0,
    distinct: 0,
    distinctCapped: false,
    minLength: 0,
    maxLength: 0,
    examples: [],
  };
  return {
    file,
    bytes: 0,
    dialect: {
      encoding: 'utf-8',
      bom: false,
      delimiter: ',',
      quote: '"',
      escape: 'double',
      header: true,
      lineEnding: '\n',
    },
    notes: [],
    preview: [],
    columns: [0, 1].map((index) => ({
      index,
      name: `c${index}`,
      type: 'text',
      nullable: true,
      stats,
    })),
    sampledRows: 0,
    complete: true,
  };
}
