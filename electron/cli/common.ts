/**
 * What every `strata` subcommand shares: the command shape, bad usage (exit status 2), naming a
 * connection or dataset on the command line, and writing to stdout without piling up output.
 */
import type { ParseArgsConfig } from 'node:util';
import { parseRefText } from '../../shared/dataset-ref.js';
import type { DatasetRef } from '../../shared/model.js';
import type { SavedConnection } from '../connections/connection-store.js';
import type { Host } from '../host.js';

/** Bad usage: reported with exit status 2 and a pointer to `--help`. */
export class UsageError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  usage: string;
  options: Options;
  /** Runs the command; a number is its exit status (0 when it answers nothing). */
  run(host: Host, positionals: string[], values: Record<string, unknown>): Promise<number | void>;
  /** How many positionals it takes. */
  arity: [min: number, max: number];
}

export function resolveRef(
  host: Host,
  text: string,
): { connection: SavedConnection; dataset: string[] | undefined } {
  const { connection, dataset } = parseRefText(text);
  // `"Demo (SQLite)"#main.sales` keeps its quotes when the shell is told to (single-quoted).
  const name = /^".*"$/.test(connection) ? connection.slice(1, -1).replace(/""/g, '"') : connection;
  if (!name) throw new UsageError(`“${text}” names no connection (REF is CONNECTION#DATASET)`);
  return { connection: resolveConnection(host, name), dataset };
}

/** A saved connection's id or name, or a URL; failing those, a unique prefix of a name (`Demo`). */
function resolveConnection(host: Host, name: string): SavedConnection {
  try {
    return host.connections.resolve(name);
  } catch (error) {
    const lower = name.toLowerCase();
    const prefixed = host.connections.list().filter((c) => c.name.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return host.connections.resolve(prefixed[0]!.id);
    throw error;
  }
}

export function datasetRef(host: Host, text: string): DatasetRef {
  const { connection, dataset } = resolveRef(host, text);
  if (!dataset) throw new UsageError(`“${text}” names no dataset (REF is CONNECTION#DATASET)`);
  return { connectionId: connection.id, path: dataset };
}

/** 1234567 as 1,234,567. Not toLocaleString: loading ICU's locale data took ~25 ms a command. */
export function grouped(n: number): string {
  const [whole, fraction] = String(n).split('.');
  return whole!.replace(/\B(?=(\d{3})+$)/g, ',') + (fraction ? `.${fraction}` : '');
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Writes to stdout, waiting when the pipe is full so a large `head` never piles up in memory. */
export function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', resolve);
  });
}
