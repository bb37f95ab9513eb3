/**
 * One ingest, start to end: checks what can be checked before anything is written (the file is
 * not empty, the store can be written and partitioned, the target's schema when appending), begins
 * the write session, runs the pipeline, then commits — or aborts, leaving the target as it was,
 * when the policy is reject-file and a row broke a rule, on any error, and on cancel.
 */
import { access } from 'node:fs/promises';
import { AppError } from '../../shared/errors.js';
import type { IngestPlan, IngestSummary, ValidationReport } from '../../shared/ingest.js';
import type { Backend } from '../backends/backend.js';
import type { WriteSession } from '../backends/writer.js';
import { CsvSplit, type CsvField } from './csv-split.js';
import { dataFileSize, decodeFile } from './decode.js';
import { batchRows, runPipeline } from './pipeline.js';
import type { ReadProgress } from './reader.js';
import { compilePlan } from './target.js';

export interface IngestOutput {
  summary: IngestSummary;
  report: ValidationReport;
}

export interface RunContext {
  signal: AbortSignal;
  onProgress: (progress: ReadProgress, totalBytes: number) => void;
}

export async function runIngest(
  plan: IngestPlan,
  backend: Backend,
  context: RunContext,
): Promise<IngestOutput> {
  const started = performance.now();
  const size = await dataFileSize(plan.file);
  if (size === 0) throw new AppError('invalid-input', `${plan.file} is empty`);
  if (plan.policy === 'load-good-rows' && plan.rejectsPath && (await exists(plan.rejectsPath))) {
    // Never overwritten: the path may come from the renderer, which must not be able to clobber
    // a file through an upload.
    throw new AppError(
      'invalid-input',
      `The rejects file ${plan.rejectsPath} already exists`,
      'Choose a new file name, or remove the old file.',
    );
  }
  if (plan.partitionBy.length > 0 && !backend.capabilities.partitions) {
    const why = backend.capabilities.partitionsNote;
    throw new AppError(
      'invalid-input',
      `This store cannot partition datasets${why ? `: ${why}` : ''}`,
      'Load without partitioning, or into a store that partitions (a folder or a bucket).',
    );
  }
  const writer = backend.writer;
  if (!writer && !plan.dryRun) {
    throw new AppError('invalid-input', 'This store cannot be written to');
  }
  const existing =
    plan.mode === 'append'
      ? await backend.describe(plan.target.path, { signal: context.signal })
      : undefined;
  const width = await firstRecordWidth(plan);
  const compiled = compilePlan(plan, width, existing);
  const report: ValidationReport = {
    rowsChecked: 0,
    rowsRejected: 0,
    counts: [],
    violations: [],
    schemaIssues: compiled.issues,
  };
  const summary = (
    outcome: IngestSummary['outcome'],
    progress: ReadProgress,
    loaded: number,
  ): IngestSummary => {
    const ms = Math.round(performance.now() - started);
    return {
      outcome,
      rowsRead: progress.rowsRead,
      rowsLoaded: loaded,
      rowsRejected: progress.rowsRejected,
      bytes: progress.bytes,
      ms,
      rowsPerSecond: ms > 0 ? Math.round((progress.rowsRead / ms) * 1000) : 0,
      ...(plan.policy === 'load-good-rows' && plan.rejectsPath
        ? { rejectsPath: plan.rejectsPath }
        : {}),
    };
  };
  if (compiled.issues.length > 0) {
    return { summary: summary('rejected', { rowsRead: 0, rowsRejected: 0, bytes: 0 }, 0), report };
  }

  let session: WriteSession | undefined = plan.dryRun
    ? undefined
    : await writer!.begin(compiled.target, { signal: context.signal });
  let aborting: Promise<void> | undefined;
  try {
    const result = await runPipeline({
      job: {
        file: plan.file,
        dialect: plan.dialect,
        check: compiled.check,
        policy: plan.policy,
        ...(plan.rejectsPath ? { rejectsPath: plan.rejectsPath } : {}),
        dryRun: plan.dryRun,
        batchRows,
      },
      session,
      signal: context.signal,
      onProgress: (progress) => context.onProgress(progress, size),
      onRejecting: () => {
        // Abandon the write now rather than at the end: the target is left as it was either way.
        aborting = session?.abort();
        session = undefined;
      },
    });
    Object.assign(report, {
      rowsChecked: result.rowsRead,
      rowsRejected: result.rowsRejected,
      counts: result.counts,
      violations: result.violations,
    });
    await aborting;
    const loaded = result.rowsRead - result.rowsRejected;
    if (plan.dryRun)
      return {
        summary: summary(result.rowsRejected > 0 ? 'rejected' : 'checked', result, 0),
        report,
      };
    if (!session) return { summary: summary('rejected', result, 0), report };
    const committing = session;
    session = undefined;
    const { rowsWritten } = await committing.commit();
    return { summary: { ...summary('loaded', result, loaded), rowsInTarget: rowsWritten }, report };
  } catch (error) {
    await Promise.all([aborting, session?.abort()]).catch(() => undefined);
    throw error;
  }
}

/** Fields in the file's first record (the header's, when there is one): what every record needs. */
async function firstRecordWidth(plan: IngestPlan): Promise<number> {
  const splitter = new CsvSplit({ ...plan.dialect, source: plan.file });
  let first: CsvField[] | undefined;
  const take = (record: { fields: CsvField[] }) => {
    first ??= record.fields;
  };
  const controller = new AbortController();
  try {
    for await (const text of decodeFile(plan.file, plan.dialect.encoding, {
      signal: controller.signal,
      chunkSize: 64 * 1024,
    })) {
      splitter.push(text, take);
      if (first) break;
    }
    if (!first) splitter.end(take);
  } finally {
    controller.abort();
  }
  return first?.length ?? 0;
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
