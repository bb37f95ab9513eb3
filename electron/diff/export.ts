/**
 * Writing a diff's changes to a file: CSV (one line per change: `_change`, `_count` for multiset
 * diffs, B's values — A's for removed rows — then A's old value of each changed cell), JSON Lines
 * (one object per change, exact values), or SQL statements that turn A into B.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import type { DiffExportResult, DiffSummary, ExportDiffInput } from '../../shared/diff.js';
import type { RowValue } from '../backends/scan.js';
import { csvField } from '../ingest/reader.js';
import type { ChangeStore, StoredChange } from './change-store.js';
import { sqlPreamble, sqlStatement } from './sql-statements.js';

function textOf(value: RowValue): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  return String(value);
}

/** JSON with exact values: bigints past 2^53 and bytes tagged as the grid's cells are. */
function jsonValue(value: RowValue): unknown {
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : { $bigint: value.toString() };
  }
  if (value instanceof Uint8Array) return { $hex: Buffer.from(value).toString('hex') };
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function lines(
  summary: DiffSummary,
  input: ExportDiffInput,
  table: readonly string[],
): { header: string[]; line(change: StoredChange): string; footer: string[] } {
  const { columns, keyed } = summary;
  const names = columns.map((c) => c.name);
  if (input.format === 'csv') {
    const counted = !keyed;
    const header = [
      ['_change', ...(counted ? ['_count'] : []), ...names, ...names.map((n) => `_old_${n}`)]
        .map(csvField)
        .join(','),
    ];
    return {
      header,
      footer: [],
      line: (change) => {
        const shown = change.new ?? change.old!;
        const old = names.map((_, i) =>
          change.kind === 'changed' && change.changed.includes(i)
            ? textOf(change.old![i] ?? null)
            : null,
        );
        return [
          change.kind,
          ...(counted ? [String(change.count ?? 1)] : []),
          ...shown.map(textOf),
          ...old,
        ]
          .map(csvField)
          .join(',');
      },
    };
  }
  if (input.format === 'jsonl') {
    const record = (row: readonly RowValue[] | undefined) =>
      row && Object.fromEntries(names.map((n, i) => [n, jsonValue(row[i] ?? null)]));
    return {
      header: [],
      footer: [],
      line: (change) =>
        JSON.stringify({
          change: change.kind,
          ...(keyed ? { key: change.key.map(jsonValue) } : { count: change.count ?? 1 }),
          ...(change.old ? { old: record(change.old) } : {}),
          ...(change.new ? { new: record(change.new) } : {}),
          ...(change.kind === 'changed' ? { changed: change.changed.map((i) => names[i]) } : {}),
        }),
    };
  }
  const dialect = input.dialect ?? 'sqlite';
  return {
    header: sqlPreamble(summary, dialect),
    footer: ['COMMIT;'],
    line: (change) => sqlStatement(change, columns, keyed, { table, dialect }),
  };
}

export async function exportChanges(
  store: ChangeStore,
  summary: DiffSummary,
  input: ExportDiffInput,
  defaultTable: readonly string[],
): Promise<DiffExportResult> {
  const table = input.table ? [input.table] : defaultTable;
  const { header, line, footer } = lines(summary, input, table);
  const out = createWriteStream(input.file);
  const failed = once(out, 'error').then(([error]) => {
    throw error as Error;
  });
  failed.catch(() => undefined);
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  let rows = 0;
  for (const text of header) await write(`${text}\n`);
  for (const batch of store.all()) {
    await write(batch.map((change) => `${line(change)}\n`).join(''));
    rows += batch.length;
  }
  for (const text of footer) await write(`${text}\n`);
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  const { size } = await fs.stat(input.file);
  return { file: input.file, rows, bytes: size };
}
