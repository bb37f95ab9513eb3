/**
 * The CSV of a dataset's part files, checked against the folder reader's own splitter: every
 * value comes back as the same text, NULL apart from the empty string (a one-column NULL row
 * too, which only a manifest's part files read as a row), and bytes as `\x` hex.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Column } from '../../shared/model.js';
import { CsvSplit, type CsvField } from '../../electron/ingest/csv-split.js';
import {
  cellText,
  csvField,
  csvHeader,
  csvLine,
} from '../../electron/backends/file-datasets/csv-part.js';
import type { WriteValue } from '../../electron/backends/writer.js';

const col = (name: string, type: Column['type']): Column => ({
  name,
  type,
  nativeType: '',
  nullable: true,
});

function split(text: string, blankLinesAreRows = true): CsvField[][] {
  const splitter = new CsvSplit({
    delimiter: ',',
    quote: '"',
    escape: 'double',
    source: 'part.csv',
    blankLinesAreRows,
  });
  const out: CsvField[][] = [];
  splitter.push(text, (r) => void out.push(r.fields));
  splitter.end((r) => void out.push(r.fields));
  return out;
}

describe('csvField', () => {
  it('quotes only what must be, and the empty string', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('')).toBe('""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines\r')).toBe('"two\nlines\r"');
    expect(csvField('\uFEFFbom')).toBe('"\uFEFFbom"');
    expect(csvField(' padded ')).toBe(' padded ');
  });

  it('reads back exactly through the folder reader’s splitter, NULL apart from ""', () => {
    const value = fc.option(fc.string({ unit: 'grapheme-composite' }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
        (rows) => {
          const width = Math.max(1, ...rows.map((r) => r.length));
          const padded = rows.map((r) => [...r, ...Array<null>(width - r.length).fill(null)]);
          const text = padded
            .map((r) => `${r.map((v) => (v === null ? '' : csvField(v))).join(',')}\n`)
            .join('');
          expect(split(text)).toEqual(padded);
        },
      ),
    );
  });
});

describe('csvLine', () => {
  const columns = [
    col('id', 'integer'),
    col('flag', 'boolean'),
    col('at', 'timestamp'),
    col('raw', 'blob'),
    col('big', 'bigint'),
    col('note', 'text'),
  ];
  it('spells values as the SQL writers do, and bytes as \\x hex', () => {
    const row: WriteValue[] = [
      1,
      true,
      '2024-03-10T02:30:00+02:00',
      new Uint8Array([0xde, 0xad]),
      9007199254740993n,
      null,
    ];
    expect(csvLine(row, [0, 1, 2, 3, 4, 5], columns)).toBe(
      '1,true,2024-03-10 00:30:00,\\xdead,9007199254740993,\n',
    );
    expect(csvLine(row, [5, 0], columns)).toBe(',1\n');
    expect(cellText(new Uint8Array(0), columns[3]!)).toBe('\\x');
    expect(cellText('text for a blob', columns[3]!)).toBe(
      `\\x${Buffer.from('text for a blob').toString('hex')}`,
    );
  });

  it('writes a one-column NULL row as a blank line, which a part file reads as a row', () => {
    const text = csvHeader([col('note', 'text')]) + csvLine([null], [0], [col('note', 'text')]);
    expect(text).toBe('note\n\n');
    expect(split(text)).toEqual([['note'], [null]]);
    expect(split(text, false)).toEqual([['note']]);
  });
});
