/**
 * The `strata` command: the app's services, headless. Every subcommand goes through the same
 * host and contract channels as the window (so the operation log, validation and error codes are
 * the same); this file only parses arguments, waits for first-start work, and prints.
 *
 * Exit status: 0 on success, 1 when the operation failed (unknown connection, missing dataset,
 * not a database…), 2 for bad usage. Failures print one line on stderr: `strata: message — hint`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatDatasetPath } from '../shared/dataset-ref.js';
import type {
  CellValue,
  Column,
  ConnectionInfo,
  DatasetRef,
  JobProgress,
  TreeNode,
  ViewSpec,
} from '../shared/model.js';
import {
  datasetRef,
  grouped,
  oneLine,
  resolveRef,
  UsageError,
  write,
  type Command,
  type Options,
} from './cli/common.js';
import { diffCommand } from './cli/diff.js';
import { ingestCommand } from './cli/ingest.js';
import { table } from './cli/table.js';
import { versionsCommands } from './cli/versions.js';
import { defaultDataDir } from './data-dir.js';
import { createHost, type Host } from './host.js';
import { toAppError } from './monitor/errors.js';

const globalOptions = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies Options;

const mainUsage = `Usage: strata [--data-dir DIR] <command> [options]

Commands:
  ls [REF]            saved connections; a connection's datasets; a dataset's columns
  head REF [-n N]     the first rows of a dataset (--json for JSON Lines)
  count REF           the exact number of rows in a dataset
  ingest FILE REF     load a CSV file into a dataset (sniffed, typed, validated, atomic)
  snapshot REF        snapshot a dataset into the versions store (-m MSG, --key COL,…)
  versions [REF]      snapshots, oldest first; restore SNAPSHOT REF [--mode create|replace]
  verify, gc, storage check, collect and measure the store; export/import, delete-snapshot
  diff A B            what changed between snapshots, datasets or CSV files (exit 0 same, 1 not)

REF is CONNECTION or CONNECTION#DATASET. CONNECTION is a saved connection's name (or a unique
prefix of it, e.g. Demo) or a URL such as sqlite:PATH; DATASET is schema.name (main.sales) or,
on SQLite, just the name (sales).

Options:
  --data-dir DIR      where saved connections live (default: $STRATA_DATA_DIR, else the app's)
  -h, --help          help for strata or for a command
  --version           print the version`;

const commands: Record<string, Command> = {
  ls: {
    usage: `Usage: strata ls [CONNECTION[#DATASET]]

  (nothing)            the saved connections: name, kind, target, status
  CONNECTION           its schemas and datasets, with kinds and row counts
  CONNECTION#DATASET   the dataset's columns: name, type, native type, nullable, key`,
    options: {},
    arity: [0, 1],
    run: async (host, [ref]) => {
      if (ref === undefined) return listConnections(host);
      const { connection, dataset } = resolveRef(host, ref);
      if (dataset) return describeDataset(host, { connectionId: connection.id, path: dataset });
      return listDatasets(host, connection.id);
    },
  },
  head: {
    usage: `Usage: strata head CONNECTION#DATASET [-n N] [--json]

  -n, --lines N   how many rows (default 10)
  --json          JSON Lines: one object per row, keyed by column name. Values are faithful:
                  integers past 2^53 are decimal strings; blobs are {"$blob": BYTES, "hex": "…"}
                  (the first 64 KiB, with "truncated": true when longer); text is complete up
                  to 1 MiB (longer: {"$text": "…", "bytes": BYTES, "truncated": true}).

As a table, values are text: NULL is shown as NULL, control characters are escaped, and long
values are cut to fit (…).`,
    options: { lines: { type: 'string', short: 'n' }, json: { type: 'boolean' } },
    arity: [1, 1],
    run: async (host, [refText], values) => {
      const limit = parseCount(values.lines);
      const ref = datasetRef(host, refText!);
      await (values.json ? headJson(host, ref, limit) : headTable(host, ref, limit));
    },
  },
  count: {
    usage: `Usage: strata count CONNECTION#DATASET

Prints the exact number of rows.`,
    options: {},
    arity: [1, 1],
    run: async (host, [refText]) => {
      const ref = datasetRef(host, refText!);
      const { count } = await host.call('countRows', { ref, view: emptyView });
      await write(`${count}\n`);
    },
  },
  ingest: ingestCommand,
  ...versionsCommands,
  diff: diffCommand,
};

const emptyView: ViewSpec = { sort: [], filters: [] };

/** Parses `argv` (without node and the script), runs the command, answers the exit status. */
async function runCli(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`strata: ${error.message} (see strata --help)\n`);
      return 2;
    }
    const appError = toAppError(error);
    const hint = appError.hint ? ` — ${appError.hint}` : '';
    process.stderr.write(`strata: ${oneLine(appError.message)}${hint}\n`);
    if (appError.code === 'internal' && process.env.STRATA_DEBUG) console.error(error);
    return 1;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  // Options before the command are global ones; the command's own parse accepts them too.
  let index = 0;
  let dataDir: string | undefined;
  for (; index < argv.length && argv[index]!.startsWith('-'); index++) {
    const arg = argv[index]!;
    if (arg === '--version') return printVersion();
    if (arg === '--help' || arg === '-h') return print(mainUsage);
    if (arg === '--data-dir') dataDir = argv[++index];
    else if (arg.startsWith('--data-dir=')) dataDir = arg.slice('--data-dir='.length);
    else throw new UsageError(`unknown option ${arg}`);
    if (!dataDir) throw new UsageError('--data-dir needs a directory');
  }
  const name = argv[index];
  if (name === undefined) throw new UsageError('no command given');
  if (name === 'help') return print(commands[argv[index + 1] ?? '']?.usage ?? mainUsage);
  const command = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (!command) throw new UsageError(`unknown command “${name}”`);

  const { values, positionals } = parseCommandArgs(name, command, argv.slice(index + 1));
  if (values.help) return print(command.usage);
  const [min, max] = command.arity;
  if (positionals.length < min) {
    throw new UsageError(`${name}: missing ${name === 'ingest' ? 'FILE or REF' : 'REF'}`);
  }
  if (positionals.length > max) throw new UsageError(`${name}: unexpected “${positionals[max]}”`);

  const dir = path.resolve(
    typeof values['data-dir'] === 'string' ? values['data-dir'] : (dataDir ?? defaultDataDir()),
  );
  const host = await createHost({ dataDir: dir, sniffInPlace: true });
  try {
    await waitForDemo(host);
    return (await command.run(host, positionals, values)) ?? 0;
  } finally {
    await host.close();
  }
}

function parseCommandArgs(name: string, command: Command, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...globalOptions, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(`${name}: ${message.replace(/\. To specify a positional.*$/, '')}`);
  }
}

/**
 * On a fresh data directory the host generates the demo database. Waiting for it (with progress)
 * before any command keeps the command's answer complete, and keeps `close()` from cancelling the
 * generation half-way, which would leave a demo connection without its file.
 */
async function waitForDemo(host: Host): Promise<void> {
  const tty = process.stderr.isTTY === true;
  let shown = -1;
  const unsubscribe = host.subscribe((event, payload) => {
    if (event !== 'jobProgress') return;
    const progress = payload as JobProgress;
    if (progress.state !== 'running' || progress.total === 0) return;
    const percent = Math.floor((progress.done / progress.total) * 100);
    // On a terminal the line is redrawn; in a log, a line per quarter is enough.
    const step = tty ? percent : Math.floor(percent / 25) * 25;
    if (step === shown) return;
    shown = step;
    const line = `strata: ${progress.label.toLowerCase()}… ${percent}% (${grouped(progress.done)} of ${grouped(progress.total)} ${progress.unit})`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  });
  try {
    await host.demoReady;
    if (shown >= 0)
      process.stderr.write(tty ? '\r\x1b[Kstrata: demo data ready\n' : 'strata: demo data ready\n');
  } catch (error) {
    // Commands that do not touch the demo still work; one that does reports the missing file.
    if (tty && shown >= 0) process.stderr.write('\n');
    process.stderr.write(
      `strata: warning: the demo data could not be generated: ${oneLine(toAppError(error).message)}\n`,
    );
  } finally {
    unsubscribe();
  }
}

// ---- ls ---------------------------------------------------------------------------------------

async function listConnections(host: Host): Promise<void> {
  const connections = await host.call('listConnections', {});
  if (connections.length === 0) {
    return write('No saved connections. Name a file instead: strata ls sqlite:PATH\n');
  }
  const rows = connections.map((c) => [c.name, c.kind, c.target, statusText(c)]);
  await write(table(['NAME', 'KIND', 'TARGET', 'STATUS'], rows));
}

function statusText({ status, readOnly }: ConnectionInfo): string {
  const ro = readOnly ? ', read-only' : '';
  if (status.state === 'ready') return `ready${ro}`;
  if (status.state === 'error') return `error: ${oneLine(status.message)}`;
  return `${status.label} ${status.total ? Math.floor((status.done / status.total) * 100) : 0}%`;
}

async function listDatasets(host: Host, connectionId: string): Promise<void> {
  const tree = await host.call('getTree', { connectionId });
  const rows: string[][] = [];
  const visit = (node: TreeNode) => {
    if (node.kind !== 'schema') {
      const count = node.rowCount === undefined ? '' : grouped(node.rowCount);
      rows.push([
        formatDatasetPath(node.path),
        node.kind,
        node.rowCountExact === false ? `~${count}` : count,
      ]);
    }
    node.children?.forEach(visit);
  };
  tree.forEach(visit);
  if (rows.length === 0) return write('(no tables or views)\n');
  await write(table(['DATASET', 'KIND', 'ROWS'], rows, [false, false, true]));
}

async function describeDataset(host: Host, ref: DatasetRef): Promise<void> {
  const schema = await host.call('describeDataset', { ref });
  const rows = schema.columns.map((c) => {
    const key = schema.key.indexOf(c.name);
    return [c.name, c.type, c.nativeType, c.nullable ? 'yes' : 'no', key < 0 ? '' : `${key + 1}`];
  });
  await write(table(['COLUMN', 'TYPE', 'NATIVE TYPE', 'NULLABLE', 'KEY'], rows));
}

// ---- head -------------------------------------------------------------------------------------

const maxPage = 5_000;

function parseCount(value: unknown): number {
  if (value === undefined) return 10;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`head: -n wants a whole number of rows, not “${String(value)}”`);
  }
  return Number(value);
}

/** Rows `0..limit` in pages the contract allows, handed over page by page. */
async function eachPage(
  host: Host,
  ref: DatasetRef,
  limit: number,
  onPage: (rows: CellValue[][], offset: number) => Promise<void>,
): Promise<void> {
  for (let offset = 0; offset < limit; offset += maxPage) {
    const page = await host.call('getPage', {
      ref,
      view: emptyView,
      offset,
      limit: Math.min(maxPage, limit - offset),
    });
    await onPage(page.rows, offset);
    if (page.rows.length < Math.min(maxPage, limit - offset)) return;
  }
}

async function headTable(host: Host, ref: DatasetRef, limit: number): Promise<void> {
  const { columns } = await host.call('describeDataset', { ref });
  const rows: string[][] = [];
  await eachPage(host, ref, limit, async (page) => {
    for (const row of page) rows.push(row.map(cellText));
  });
  const numeric = columns.map((c) => ['integer', 'bigint', 'decimal', 'float'].includes(c.type));
  const maxWidth = fitWidth(columns.length);
  await write(
    table(
      columns.map((c) => c.name),
      rows,
      numeric,
      maxWidth,
    ),
  );
}

async function headJson(host: Host, ref: DatasetRef, limit: number): Promise<void> {
  const { columns } = await host.call('describeDataset', { ref });
  await eachPage(host, ref, limit, async (page, offset) => {
    const lines: string[] = [];
    for (const [i, row] of page.entries()) {
      const object: Record<string, unknown> = {};
      for (const [c, column] of columns.entries()) {
        object[column.name] = await jsonValue(host, ref, offset + i, column, row[c] ?? null);
      }
      lines.push(JSON.stringify(object));
    }
    await write(lines.map((l) => `${l}\n`).join(''));
  });
}

/** A cell as JSON, fetching the whole value when the page carried only its beginning. */
async function jsonValue(
  host: Host,
  ref: DatasetRef,
  row: number,
  column: Column,
  cell: CellValue,
): Promise<unknown> {
  if (cell === null || typeof cell !== 'object') return cell;
  if ('$bigint' in cell) return cell.$bigint;
  const detail = await host.call('getCell', { ref, view: emptyView, row, column: column.name });
  const truncated = detail.truncated ? { truncated: true } : {};
  if ('$blob' in cell) return { $blob: detail.byteLength, hex: detail.text ?? '', ...truncated };
  return detail.truncated
    ? { $text: detail.text, bytes: detail.byteLength, truncated: true }
    : detail.text;
}

/** A cell as one line of text: NULL spelled out, control characters (and terminal escapes) escaped. */
function cellText(cell: CellValue): string {
  if (cell === null) return 'NULL';
  if (typeof cell !== 'object') return escapeControls(String(cell));
  if ('$bigint' in cell) return cell.$bigint;
  if ('$blob' in cell) return `<blob ${grouped(cell.$blob)} bytes: ${cell.head}…>`;
  return `${escapeControls(cell.$text)}…`;
}

function escapeControls(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return text.replace(
    // Control characters, C1 included: a value must not move the cursor or recolour the terminal.
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Widest a head column may be: what fits the terminal, or a fixed cap when piped. */
function fitWidth(columnCount: number): number {
  const terminal = process.stdout.isTTY ? process.stdout.columns : undefined;
  if (!terminal) return 40;
  return Math.max(8, Math.floor((terminal - 2 * (columnCount - 1)) / Math.max(columnCount, 1)));
}

// ---- output -----------------------------------------------------------------------------------

async function print(text: string): Promise<number> {
  await write(`${text}\n`);
  return 0;
}

async function printVersion(): Promise<number> {
  // Both electron/cli.ts and the built dist-electron/cli.js sit one folder below package.json.
  const file = fileURLToPath(new URL('../package.json', import.meta.url));
  const version = await fs
    .readFile(file, 'utf8')
    .then((text) => (JSON.parse(text) as { version?: string }).version ?? 'unknown')
    .catch(() => 'unknown');
  return print(`strata ${version}`);
}

// `strata head … | head -1` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2));
