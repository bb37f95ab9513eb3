/**
 * Random tables for the round-trip properties: columns of every logical type with cells that
 * know the text to write, whether it must be quoted, and the value it must load as; written as
 * CSV with a random delimiter and line ending, and the plan that loads them with their types.
 */
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { ingestPlanSchema, type IngestPlan, type PlanColumn } from '../../../shared/ingest.js';
import type { DatasetPath, LogicalType } from '../../../shared/model.js';
import type { WriteValue } from '../../../electron/backends/writer.js';

/** A cell: the text to write (null for NULL), whether it must be quoted, the value expected. */
interface Cell {
  text: string | null;
  quote: boolean;
  value: WriteValue;
}
interface ColumnCase {
  type: LogicalType;
  scale?: number;
  cell: fc.Arbitrary<Cell>;
}

/**
 * Column names: delimiters, quotes and accents, but no line breaks (no engine takes one) and no
 * characters past the BMP (MariaDB identifiers cannot hold them: "Invalid utf8mb4 character").
 */
const names = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '|', '"', "'", 'é', '日', '0', '<', '>'),
  maxLength: 12,
});
const plain = (text: string, value: WriteValue): Cell => ({ text, quote: false, value });
const two = (n: number) => String(n).padStart(2, '0');
const nasty = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    ' ',
    ',',
    ';',
    '|',
    '\t',
    '"',
    "'",
    '\\',
    '\n',
    '\r',
    'é',
    '日',
    '😀',
    '0',
  ),
  maxLength: 12,
});

const day = fc.record({
  y: fc.integer({ min: 1000, max: 9999 }),
  m: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 28 }),
});
const dayText = ({ y, m, d }: { y: number; m: number; d: number }) => `${y}-${two(m)}-${two(d)}`;

const columnCases: fc.Arbitrary<ColumnCase> = fc.oneof(
  fc.constant<ColumnCase>({
    type: 'integer',
    cell: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => plain(String(n), n)),
  }),
  fc.constant<ColumnCase>({
    type: 'bigint',
    cell: fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map((b) => plain(String(b), Number.isSafeInteger(Number(b)) ? Number(b) : b)),
  }),
  fc.integer({ min: 0, max: 6 }).map<ColumnCase>((scale) => ({
    type: 'decimal',
    scale,
    cell: fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map((unscaled) => {
      const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
      const text = `${unscaled < 0n ? '-' : ''}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
      return plain(text, text);
    }),
  })),
  fc.constant<ColumnCase>({
    type: 'float',
    cell: fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .map((x) => (Object.is(x, -0) ? 0 : x))
      .map((x) => plain(String(x), x)),
  }),
  fc.constant<ColumnCase>({
    type: 'boolean',
    cell: fc
      .tuple(fc.constantFrom('true', 'FALSE', 't', 'F', 'Yes', 'no', '1', '0'), fc.boolean())
      .map(([word, quote]) => ({
        text: word,
        quote,
        value: ['true', 't', 'yes', '1'].includes(word.toLowerCase()),
      })),
  }),
  fc.constant<ColumnCase>({ type: 'date', cell: day.map((d) => plain(dayText(d), dayText(d))) }),
  fc.constant<ColumnCase>({
    type: 'timestamp',
    cell: fc
      .record({
        day,
        h: fc.integer({ min: 0, max: 23 }),
        mi: fc.integer({ min: 0, max: 59 }),
        s: fc.option(fc.integer({ min: 0, max: 59 })),
        fraction: fc.constantFrom('', '.5', '.123456'),
        t: fc.constantFrom('T', ' '),
        zone: fc.constantFrom(
          ['', ''],
          ['Z', 'Z'],
          ['+0530', '+05:30'],
          ['-08', '-08:00'],
          ['+01:00', '+01:00'],
        ),
      })
      .map(({ day: d, h, mi, s, fraction, t, zone }) => {
        const seconds = s === null ? '' : `:${two(s)}${fraction}`;
        const text = `${dayText(d)}${t}${two(h)}:${two(mi)}${seconds}${zone[0]}`;
        const value = `${dayText(d)}T${two(h)}:${two(mi)}:${s === null ? '00' : `${two(s)}${fraction}`}${zone[1]}`;
        return { text, quote: t === ' ', value };
      }),
  }),
  fc.constant<ColumnCase>({
    type: 'text',
    // '' must be quoted to stay '' (unquoted empty is NULL).
    cell: fc
      .tuple(nasty, fc.boolean())
      .map(([text, quote]) => ({ text, quote: quote || text === '', value: text })),
  }),
  fc.constant<ColumnCase>({
    type: 'json',
    cell: fc.json({ maxDepth: 2 }).map((text) => ({ text, quote: true, value: text })),
  }),
  fc.constant<ColumnCase>({
    type: 'blob',
    cell: fc
      .uint8Array({ minLength: 1, maxLength: 16 })
      .map((bytes) => plain(`\\x${Buffer.from(bytes).toString('hex')}`, bytes)),
  }),
);

const nullable = (c: ColumnCase): fc.Arbitrary<Cell> =>
  fc.option(c.cell, { freq: 5, nil: { text: null, quote: false, value: null } as Cell });

export const tables = fc
  .array(columnCases, { minLength: 1, maxLength: 6 })
  .chain((columns) =>
    fc.record({
      columns: fc.constant(columns),
      names: fc.tuple(...columns.map(() => names)),
      rows: fc.array(fc.tuple(...columns.map(nullable)), { maxLength: 30 }),
      delimiter: fc.constantFrom(',', ';', '\t', '|'),
      ending: fc.constantFrom('\n', '\r\n'),
    }),
  )
  // One column of NULL is a blank line, which CSV cannot tell from no record at all.
  .map((t) => ({
    ...t,
    rows: t.columns.length === 1 ? t.rows.filter((r) => r[0]!.text !== null) : t.rows,
  }));

export type Table = typeof tables extends fc.Arbitrary<infer T> ? T : never;

export function writeCsv(
  table: Table,
  file: string,
  target: DatasetPath = ['main', 't'],
): IngestPlan {
  const field = (text: string | null, quote: boolean) =>
    text === null
      ? ''
      : quote || /["\r\n]/.test(text) || text.includes(table.delimiter)
        ? `"${text.replace(/"/g, '""')}"`
        : text;
  // Names made unique and non-blank, as the person would see them, written quoted.
  const names = table.names.map((n, i) => `${n.trim() || 'c'}_${i}`);
  const lines = [
    names.map((n) => field(n, true)),
    ...table.rows.map((r) => r.map((c) => field(c.text, c.quote))),
  ];
  writeFileSync(file, lines.map((l) => l.join(table.delimiter) + table.ending).join(''));
  const columns: PlanColumn[] = table.columns.map((c, index) => ({
    index,
    name: names[index]!.trim(),
    type: c.type,
    ...(c.type === 'decimal' ? { precision: 38, scale: c.scale } : {}),
    skip: false,
  }));
  return ingestPlanSchema.parse({
    file,
    dialect: {
      encoding: 'utf-8',
      delimiter: table.delimiter,
      quote: '"',
      escape: 'double',
      header: true,
    },
    columns,
    target: { connectionId: 'test', path: target },
  });
}

export const expected = (table: Table): WriteValue[][] =>
  table.rows.map((r) => r.map((c) => c.value));

/** The table with a first column numbering its rows: the key a store that names rows by one needs (Redis). */
export function withRowKey(table: Table): Table {
  const key: ColumnCase = { type: 'integer', cell: fc.constant(plain('1', 1)) };
  return {
    ...table,
    columns: [key, ...table.columns],
    names: ['row', ...table.names],
    rows: table.rows.map((row, i) => [plain(String(i + 1), i + 1), ...row]),
  };
}
