/**
 * `strata diff A B`: what changed between two snapshots, datasets or CSV files — schema, counts,
 * then the first changes with old → new. Exit status as diff(1)'s: 0 equal, 1 different, 2 error.
 * The diff is a job (progress on stderr, Ctrl-C cancels), and is closed before the command ends.
 */
import { existsSync, statSync } from 'node:fs';
import { AppError } from '../../shared/errors.js';
import type { DiffRow, DiffSide, DiffSummary, DiffTolerance } from '../../shared/diff.js';
import type { CellValue, JobProgress } from '../../shared/model.js';
import type { Host } from '../host.js';
import { toAppError } from '../monitor/errors.js';
import { datasetRef, grouped, oneLine, UsageError, write, type Command } from './common.js';

const usage = `Usage: strata diff A B [--key COL,…] [--ignore COL,…] [--tolerance N[%]] [--summary]
                 [--json] [--limit N] [--export FILE --format csv|jsonl|sql [--dialect D]]

Compares A with B: the schema (columns added, removed, retyped, reordered; key), then rows by
key — added, removed, changed cells with old → new. A and B are each a snapshot id (or a unique
prefix), CONNECTION#DATASET, or the path of a CSV file. Without a key on either side the rows
are compared as a multiset of whole rows, which is said.

  --key COL,…         match rows by these columns (default: A's key, else B's)
  --ignore COL,…      leave these columns out of the comparison
  --tolerance N       numbers within N are equal; N% within N percent
  --summary           the schema and counts only
  --json              the summary (and first changes) as JSON
  --limit N           changes shown (default 20)
  --export FILE       write every change to FILE, as --format csv, jsonl or sql (statements that
                      turn A into B; --dialect sqlite|postgres|mysql, --table NAME)

Exit status: 0 equal, 1 different, 2 error.`;

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A CSV path when the file exists, a ref when it names a dataset, else a snapshot id. */
function sideOf(host: Host, text: string): DiffSide {
  if (existsSync(text) && statSync(text).isFile()) return { kind: 'csv', file: text };
  if (text.includes('#')) return { kind: 'dataset', ref: datasetRef(host, text) };
  if (/\.(csv|tsv|txt)$/i.test(text)) {
    throw new AppError('not-found', `No file ${text}`, 'Check the path of the CSV file.');
  }
  return { kind: 'snapshot', snapshotId: text };
}

function tolerance(text: string): DiffTolerance {
  const match = /^(\d+(?:\.\d+)?(?:e-?\d+)?)(%?)$/i.exec(text.trim());
  if (!match)
    throw new UsageError(`diff: --tolerance wants a number or a percentage, not “${text}”`);
  const n = Number(match[1]);
  return match[2] ? { relative: n / 100 } : { absolute: n };
}

function cell(value: CellValue | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if ('$bigint' in value) return value.$bigint;
  if ('$blob' in value) return `<${grouped(value.$blob)} bytes ${value.head}…>`;
  return `${JSON.stringify(value.$text)}…(${grouped(value.length)} chars)`;
}

function schemaLines(summary: DiffSummary): string[] {
  const { schema } = summary;
  const lines = [
    ...schema.added.map((c) => `  + column ${c.name} ${c.nativeType}`),
    ...schema.removed.map((c) => `  - column ${c.name} ${c.nativeType}`),
    ...schema.retyped.map(
      (r) => `  ~ column ${r.name}: ${r.old.nativeType} → ${r.new.nativeType} (${r.comparedAs})`,
    ),
  ];
  if (schema.reordered)
    lines.push(
      `  ~ column order: ${schema.reordered.old.join(', ')} → ${schema.reordered.new.join(', ')}`,
    );
  if (schema.keyChanged) {
    const k = (key: string[]) => (key.length ? key.join(', ') : 'none');
    lines.push(`  ~ key: ${k(schema.keyChanged.old)} → ${k(schema.keyChanged.new)}`);
  }
  return lines;
}

function changeLine(summary: DiffSummary, row: DiffRow): string {
  const names = summary.columns.map((c) => c.name);
  const key = summary.keyed
    ? summary.key.map((k, i) => `${k}=${cell(row.key[i])}`).join(' ')
    : `${row.count ?? 1}×`;
  const whole = (values: CellValue[]) =>
    values.flatMap((v, i) => (summary.columns[i]!.key ? [] : [`${names[i]}=${cell(v)}`])).join(' ');
  if (row.kind === 'added') return `+ ${key}  ${whole(row.new!)}`;
  if (row.kind === 'removed') return `- ${key}  ${whole(row.old!)}`;
  const cells = row.changed.map((i) => `${names[i]}: ${cell(row.old![i])} → ${cell(row.new![i])}`);
  return `~ ${key}  ${cells.join(', ')}`;
}

function summaryText(summary: DiffSummary): string {
  const { counts } = summary;
  const lines = [`A: ${summary.a.label}`, `B: ${summary.b.label}`];
  lines.push(summary.keyed ? `key: ${summary.key.join(', ')}` : 'no key');
  if (summary.note) lines.push(`note: ${summary.note}`);
  const schema = schemaLines(summary);
  lines.push(schema.length ? 'schema:' : 'schema: the same', ...schema);
  let how = `${summary.method}, ${grouped(summary.rowsRead.a + summary.rowsRead.b)} rows read, ${summary.ms} ms`;
  if (summary.chunks) {
    how += `; ${grouped(summary.chunks.decoded)} of ${grouped(summary.chunks.total)} chunks decoded`;
  }
  if (summary.ranges) how += `; ${grouped(summary.ranges.differing)} key ranges differed`;
  lines.push(
    `rows: ${grouped(counts.added)} added, ${grouped(counts.removed)} removed, ${grouped(counts.changed)} changed, ${grouped(counts.unchanged)} unchanged (${how})`,
  );
  const cells = Object.entries(summary.changedCells);
  if (cells.length > 0)
    lines.push(`changed cells: ${cells.map(([n, c]) => `${n} ${grouped(c)}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

async function follow(host: Host, jobId: string): Promise<DiffSummary> {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  const unsubscribe = host.subscribe((event, payload) => {
    const p = payload as JobProgress;
    if (!tty || event !== 'jobProgress' || p.jobId !== jobId || p.state !== 'running') return;
    shown = true;
    process.stderr.write(`\r\x1b[Kstrata: diff… ${grouped(p.done)} rows read`);
  });
  const cancel = () => void host.call('cancelJob', { jobId });
  process.once('SIGINT', cancel);
  try {
    const status = await host.call('getDiffJob', { jobId, wait: true });
    if (status.state !== 'done') {
      throw status.error ? AppError.from(status.error) : new AppError('cancelled', 'Cancelled');
    }
    return status.summary!;
  } finally {
    process.off('SIGINT', cancel);
    unsubscribe();
    if (shown) process.stderr.write('\r\x1b[K');
  }
}

async function run(host: Host, [textA, textB]: string[], values: Record<string, unknown>) {
  const str = (name: string) =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined;
  const limit = str('limit') === undefined ? 20 : Number(str('limit'));
  if (!Number.isInteger(limit) || limit < 0)
    throw new UsageError('diff: --limit wants a whole number');
  const format = str('format');
  if (str('export') && !format) throw new UsageError('diff: --export needs --format csv|jsonl|sql');
  if (format && !['csv', 'jsonl', 'sql'].includes(format)) {
    throw new UsageError(`diff: --format is csv, jsonl or sql, not “${format}”`);
  }
  const dialect = str('dialect');
  if (dialect && !['sqlite', 'postgres', 'mysql'].includes(dialect)) {
    throw new UsageError(`diff: --dialect is sqlite, postgres or mysql, not “${dialect}”`);
  }
  const tol = str('tolerance');
  const input = {
    a: sideOf(host, textA!),
    b: sideOf(host, textB!),
    ...(str('key') !== undefined ? { key: list(str('key')!) } : {}),
    ignoreColumns: str('ignore') ? list(str('ignore')!) : [],
    ...(tol !== undefined ? { tolerance: tolerance(tol) } : {}),
  };
  const { jobId } = await host.call('startDiff', input);
  const summary = await follow(host, jobId);
  try {
    const total = summary.counts.added + summary.counts.removed + summary.counts.changed;
    const shown =
      values.summary || limit === 0 || total === 0
        ? []
        : (
            await host.call('getDiffPage', {
              diffId: summary.diffId,
              offset: 0,
              limit: Math.min(limit, 5_000),
            })
          ).rows;
    if (values.json) {
      await write(
        `${JSON.stringify({ ...summary, ...(values.summary ? {} : { changes: shown }) }, null, 2)}\n`,
      );
    } else {
      await write(summaryText(summary));
      if (shown.length > 0) {
        await write(`${shown.map((row) => changeLine(summary, row)).join('\n')}\n`);
        if (total > shown.length) await write(`… ${grouped(total - shown.length)} more\n`);
      }
    }
    const file = str('export');
    if (file) {
      const result = await host.call('exportDiff', {
        diffId: summary.diffId,
        format: format as 'csv' | 'jsonl' | 'sql',
        file,
        ...(dialect ? { dialect: dialect as 'sqlite' | 'postgres' | 'mysql' } : {}),
        ...(str('table') ? { table: str('table')! } : {}),
      });
      process.stderr.write(`strata: wrote ${grouped(result.rows)} changes to ${result.file}\n`);
    }
    return summary.equal ? 0 : 1;
  } finally {
    await host.call('closeDiff', { diffId: summary.diffId });
  }
}

export const diffCommand: Command = {
  usage,
  options: {
    key: { type: 'string' },
    ignore: { type: 'string' },
    tolerance: { type: 'string' },
    summary: { type: 'boolean' },
    json: { type: 'boolean' },
    limit: { type: 'string' },
    export: { type: 'string' },
    format: { type: 'string' },
    dialect: { type: 'string' },
    table: { type: 'string' },
  },
  arity: [2, 2],
  run: async (host, positionals, values) => {
    try {
      return await run(host, positionals, values);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      // diff(1)'s convention: 1 means "they differ", so trouble is 2.
      const appError = toAppError(error);
      const hint = appError.hint ? ` — ${appError.hint}` : '';
      process.stderr.write(`strata: ${oneLine(appError.message)}${hint}\n`);
      return 2;
    }
  },
};
