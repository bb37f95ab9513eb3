/**
 * `strata ingest FILE REF`: upload, headless. The same channels as the window — sniffFile, then
 * startIngest with the plan a person gets by accepting every guess (plus what the options
 * change), then getIngestResult — so the CLI and the UI cannot load a file differently.
 *
 * Progress goes to stderr (redrawn on a terminal; a line per quarter otherwise), the outcome too;
 * `--json` prints the summary and validation report on stdout. Exit status: 0 loaded (or checked
 * clean with --dry-run), 1 rejected or failed, 2 bad usage. Ctrl-C cancels: the target is unchanged.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatDatasetPath } from '../../shared/dataset-ref.js';
import {
  defaultPlan,
  encodingNamed,
  ingestPlanSchema,
  ruleSetSchema,
  writeModes,
  type IngestPlanInput,
  type IngestStatus,
  type RuleSet,
} from '../../shared/ingest.js';
import type { DatasetRef, JobProgress } from '../../shared/model.js';
import type { Host } from '../host.js';
import { datasetRef, grouped, oneLine, UsageError, write, type Command } from './common.js';

const usage = `Usage: strata ingest FILE CONNECTION#DATASET [options]

Loads a CSV file: sniffs its encoding, delimiter and header, infers each column's type, checks
every row (the types, the key, the rules), and writes it in one atomic step. Rows that break a
rule reject the whole file unless --rejects says where to put them.

  --mode MODE          create (default: a new dataset), append, or replace
  --key COL,…          key columns: present and unique in every row
  --partition-by COL,… partition the dataset by these columns (stores that partition)
  --rules FILE         validation rules, JSON: {"columns": {"amount": {"required": true,
                       "min": 0}, …}} — required, unique, type, min, max, pattern, allowed
  --rejects FILE       load the good rows; write the rejected ones to FILE (CSV: the fields,
                       then _line and _error)
  --delimiter C        the field delimiter: , ; | tab, or any one character
  --encoding E         utf-8, utf-16le, utf-16be or windows-1252 (latin1)
  --no-header          the first line is data, not column names
  --dry-run            read and check everything, write nothing
  --json               print the summary and validation report as JSON on stdout

An empty unquoted field loads as NULL; a quoted empty field ("") as the empty string in text
columns (NULL in others). Exit status: 0 loaded, 1 rejected or failed, 2 bad usage.`;

const shownViolations = 10;

export const ingestCommand: Command = {
  usage,
  options: {
    mode: { type: 'string' },
    key: { type: 'string' },
    'partition-by': { type: 'string' },
    rules: { type: 'string' },
    rejects: { type: 'string' },
    delimiter: { type: 'string' },
    encoding: { type: 'string' },
    'no-header': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  arity: [2, 2],
  run: async (host, [file, refText], values) => {
    const options = await parseOptions(values);
    const ref = datasetRef(host, refText!);
    // The target opens while the file is sniffed; should it fail, the upload reports why when it
    // opens it again.
    const opening = host.connections.backend(ref.connectionId).catch(() => undefined);
    const sniff = await host.call('sniffFile', {
      path: path.resolve(file!),
      ...(options.encoding ? { encoding: options.encoding } : {}),
      ...(options.delimiter ? { delimiter: options.delimiter } : {}),
      ...(options.header === false ? { header: false } : {}),
    });
    const plan: IngestPlanInput = { ...defaultPlan(sniff, ref), ...options.plan };
    const checked = ingestPlanSchema.safeParse(plan);
    if (!checked.success) throw new UsageError(`ingest: ${checked.error.issues[0]?.message}`);
    // The rejects file named on the command line is the user's to replace (the app never does).
    if (plan.rejectsPath) await fs.rm(plan.rejectsPath, { force: true });
    await opening;
    const { jobId } = await host.call('startIngest', { plan });
    const status = await follow(host, jobId, path.basename(file!));
    return report(status, ref, values.json === true);
  },
};

interface ParsedOptions {
  encoding?: ReturnType<typeof encodingNamed>;
  delimiter?: string;
  header?: boolean;
  plan: Partial<IngestPlanInput>;
}

async function parseOptions(values: Record<string, unknown>): Promise<ParsedOptions> {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  const list = (name: string) =>
    text(name)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? [];
  const mode = text('mode') ?? 'create';
  if (!(writeModes as readonly string[]).includes(mode)) {
    throw new UsageError(`ingest: --mode is create, append or replace, not “${mode}”`);
  }
  let encoding: ParsedOptions['encoding'];
  if (text('encoding') !== undefined) {
    encoding = encodingNamed(text('encoding')!);
    if (!encoding) throw new UsageError(`ingest: unknown encoding “${text('encoding')}”`);
  }
  let delimiter = text('delimiter');
  if (delimiter === 'tab' || delimiter === '\\t') delimiter = '\t';
  if (delimiter !== undefined && (delimiter.length !== 1 || /["'\r\n]/.test(delimiter))) {
    throw new UsageError('ingest: --delimiter is one character (or “tab”), not a quote or newline');
  }
  const rejects = text('rejects');
  return {
    ...(encoding ? { encoding } : {}),
    ...(delimiter ? { delimiter } : {}),
    ...(values['no-header'] === true ? { header: false } : {}),
    plan: {
      mode: mode as IngestPlanInput['mode'],
      key: list('key'),
      partitionBy: list('partition-by'),
      ...(text('rules') !== undefined ? { rules: await readRules(text('rules')!) } : {}),
      ...(rejects ? { policy: 'load-good-rows', rejectsPath: path.resolve(rejects) } : {}),
      dryRun: values['dry-run'] === true,
    },
  };
}

async function readRules(file: string): Promise<RuleSet> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`ingest: --rules ${file}: ${oneLine((error as Error).message)}`);
  }
  const parsed = ruleSetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new UsageError(`ingest: --rules ${file}${where}: ${issue?.message ?? 'not a rule set'}`);
  }
  return parsed.data;
}

/** Shows progress until the ingest ends; Ctrl-C cancels it. */
async function follow(host: Host, jobId: string, name: string): Promise<IngestStatus> {
  const tty = process.stderr.isTTY === true;
  let shown = -1;
  let drawing = false;
  const started = Date.now();
  const draw = async (progress: JobProgress) => {
    if (drawing || progress.jobId !== jobId || progress.state !== 'running') return;
    const percent = progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0;
    // A quick load needs no progress, and the end is said by the outcome line.
    if (Date.now() - started < 500 || percent === 100) return;
    // On a terminal the line is redrawn; in a log, a line per quarter is enough.
    const step = tty ? percent : Math.floor(percent / 25) * 25;
    if (step === shown) return;
    shown = step;
    drawing = true;
    try {
      const { progress: p } = await host.call('getIngestResult', { jobId });
      const rate = `${(p.bytesPerSecond / 2 ** 20).toFixed(1)} MiB/s`;
      const left = p.etaMs === undefined ? '' : `, ${Math.ceil(p.etaMs / 1000)} s left`;
      const line = `strata: loading ${name}… ${percent}% (${grouped(p.rows)} rows, ${rate}${left})`;
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    } finally {
      drawing = false;
    }
  };
  const unsubscribe = host.subscribe((event, payload) => {
    if (event === 'jobProgress') void draw(payload as JobProgress);
  });
  const cancel = () => void host.call('cancelJob', { jobId });
  process.once('SIGINT', cancel);
  try {
    return await host.call('getIngestResult', { jobId, wait: true });
  } finally {
    process.off('SIGINT', cancel);
    unsubscribe();
    if (tty && shown >= 0) process.stderr.write('\r\x1b[K');
  }
}

async function report(status: IngestStatus, ref: DatasetRef, json: boolean): Promise<number> {
  if (json) {
    const { summary, report: validation, error, state } = status;
    await write(`${JSON.stringify({ state, summary, report: validation, error }, null, 2)}\n`);
  }
  const target = formatDatasetPath(ref.path);
  const { summary, report: validation } = status;
  const say = (line: string) => process.stderr.write(`strata: ${line}\n`);
  if (status.state === 'failed' || status.state === 'cancelled' || !summary || !validation) {
    const hint = status.error?.hint ? ` — ${status.error.hint}` : '';
    say(`${oneLine(status.error?.message ?? status.state)}${hint}`);
    return 1;
  }
  for (const issue of validation.schemaIssues) say(`${issue.column}: ${issue.message}`);
  for (const v of validation.violations.slice(0, shownViolations)) {
    say(`line ${v.line}${v.column ? `, ${v.column}` : ''}: ${oneLine(v.message)}`);
  }
  const more = validation.counts.reduce((n, c) => n + c.count, 0) - shownViolations;
  if (more > 0) say(`… and ${grouped(more)} more violations (--json lists counts per rule)`);
  const seconds = (summary.ms / 1000).toFixed(1);
  if (summary.outcome === 'loaded') {
    const rejected = summary.rowsRejected
      ? `; ${grouped(summary.rowsRejected)} rejected${summary.rejectsPath ? ` (in ${summary.rejectsPath})` : ''}`
      : '';
    say(`loaded ${grouped(summary.rowsLoaded)} rows into ${target} in ${seconds} s${rejected}`);
    return 0;
  }
  if (summary.outcome === 'checked') {
    say(`checked ${grouped(summary.rowsRead)} rows in ${seconds} s: all good (nothing written)`);
    return 0;
  }
  const why = validation.schemaIssues.length
    ? 'the file does not fit the target'
    : `${grouped(summary.rowsRejected)} of ${grouped(summary.rowsRead)} rows break the rules`;
  say(`rejected: ${why}; nothing was written`);
  return 1;
}
