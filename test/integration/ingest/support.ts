/**
 * Shared by the ingest tests: a store that only collects what it is given (the `DatasetWriter`
 * contract, nothing more), and a one-call ingest — sniff, plan from the sniff, run — so each test
 * says only what it changes.
 */
import { expect } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type {
  IngestPlan,
  IngestPlanInput,
  SniffRequest,
  SniffResult,
} from '../../../shared/ingest.js';
import { defaultPlan, ingestPlanSchema } from '../../../shared/ingest.js';
import type { Capabilities, DatasetSchema } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import type { WriteTarget, WriteValue } from '../../../electron/backends/writer.js';
import { runIngest, type IngestOutput } from '../../../electron/ingest/run-ingest.js';
import { sniffFile } from '../../../electron/ingest/sniff.js';
import type { Expected } from './fixtures.js';

export interface Collected {
  target?: WriteTarget;
  rows: WriteValue[][];
  /** Every row handed over, committed or not. */
  written: number;
  committed: boolean;
  aborted: boolean;
  batches: number;
}

const capabilities: Capabilities = {
  serverSort: false,
  serverFilter: false,
  transactions: true,
  partitions: false,
  schemas: false,
  write: true,
};

/** A store whose tables live in memory; `existing` answers `describe` for appends. */
export function collectingBackend(
  options: { existing?: DatasetSchema; partitions?: boolean; writeDelayMs?: number } = {},
): Backend & { collected: Collected } {
  const collected: Collected = {
    rows: [],
    written: 0,
    committed: false,
    aborted: false,
    batches: 0,
  };
  const unsupported = () => Promise.reject(new AppError('internal', 'not in this test store'));
  return {
    collected,
    capabilities: { ...capabilities, partitions: options.partitions ?? false },
    tree: unsupported,
    describe: async () => {
      if (!options.existing) throw new AppError('not-found', 'No such table');
      return options.existing;
    },
    page: unsupported,
    count: unsupported,
    cell: unsupported,
    writer: {
      begin: async (target) => {
        collected.target = target;
        const staged: WriteValue[][] = [];
        return {
          write: async (rows) => {
            if (collected.aborted) throw new Error('write after abort');
            for (const row of rows) {
              if (row.length !== target.columns.length) throw new Error('row width');
            }
            collected.batches++;
            collected.written += rows.length;
            if (options.writeDelayMs) await new Promise((r) => setTimeout(r, options.writeDelayMs));
            for (const row of rows) staged.push(row);
          },
          commit: async () => {
            collected.rows = staged;
            collected.committed = true;
            return { rowsWritten: staged.length };
          },
          abort: async () => {
            collected.aborted = true;
          },
        };
      },
    },
    close: async () => undefined,
  };
}

/** The plan a person accepts without changing anything, plus `changes`. */
export function planFrom(sniff: SniffResult, changes: Partial<IngestPlanInput> = {}): IngestPlan {
  return ingestPlanSchema.parse({
    ...defaultPlan(sniff, { connectionId: 'test', path: ['main', 't'] }),
    ...changes,
  });
}

export async function ingest(
  file: string,
  options: {
    sniff?: Omit<SniffRequest, 'path'>;
    plan?: Partial<IngestPlanInput> | ((sniff: SniffResult) => Partial<IngestPlanInput>);
    backend?: Backend;
    signal?: AbortSignal;
  } = {},
): Promise<{ sniff: SniffResult; output: IngestOutput; backend: Backend }> {
  const sniff = await sniffFile({ path: file, ...options.sniff });
  const changes = typeof options.plan === 'function' ? options.plan(sniff) : options.plan;
  const backend = options.backend ?? collectingBackend();
  const output = await runIngest(planFrom(sniff, changes), backend, {
    signal: options.signal ?? new AbortController().signal,
    onProgress: () => undefined,
  });
  return { sniff, output, backend };
}

/** The parts of a sniff an entry names. */
export function checkSniff(sniff: SniffResult, expected: NonNullable<Expected['sniff']>): void {
  const { note, columns, ...dialect } = expected;
  expect(sniff.dialect).toMatchObject(dialect);
  if (note) expect(sniff.notes.join('\n')).toContain(note);
  if (columns) expect(sniff.columns.map((c) => `${c.name}:${c.type}`)).toEqual(columns);
}

/** The error an entry names: its code, and a fragment of its message. */
export async function expectError(
  work: Promise<unknown>,
  error: { code: string; message: string },
) {
  const thrown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown, `expected ${error.message}`).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe(error.code);
  expect((thrown as AppError).message).toContain(error.message);
}
