/**
 * The ingest's CSV splitter: quoting, every line ending, NULL vs '', backslash escapes, errors by
 * line, and — property-based — the same records and line numbers however the text is chunked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSplit, type CsvField, type SplitOptions } from '../../electron/ingest/csv-split.js';

const comma: SplitOptions = { delimiter: ',', quote: '"', escape: 'double', source: 't.csv' };

function split(
  text: string,
  chunks: number[] = [text.length],
  options: SplitOptions = comma,
): Array<[number, CsvField[]]> {
  const splitter = new CsvSplit(options);
  const out: Array<[number, CsvField[]]> = [];
  // Copied: with reuseRecord the splitter refills the same array for the next record.
  const emit = (r: { fields: CsvField[]; line: number }) => {
    out.push([r.line, r.fields.slice()]);
  };
  let at = 0;
  for (let k = 0; at < text.length; k++) {
    const size = Math.max(1, chunks[k % chunks.length]!);
    splitter.push(text.slice(at, at + size), emit);
    at += size;
  }
  splitter.end(emit);
  return out;
}

const tricky =
  'id,name,note\r\n1,"Lovelace, Ada","said ""hi""\nthen left"\r\n2,,""\n3,plain,\n\n4,"",x';

describe('CsvSplit', () => {
  it('splits quoted commas, doubled quotes, embedded newlines and CRLF, by physical line', () => {
    expect(split(tricky)).toEqual([
      [1, ['id', 'name', 'note']],
      [2, ['1', 'Lovelace, Ada', 'said "hi"\nthen left']],
      [4, ['2', null, '']],
      [5, ['3', 'plain', null]],
      [7, ['4', '', 'x']],
    ]);
  });

  it('skips blank lines, or reads each as a row of one NULL in a file Strata wrote', () => {
    expect(split('a\n\n1\n\n')).toEqual([
      [1, ['a']],
      [3, ['1']],
    ]);
    expect(split('a\n\n1\n\n', undefined, { ...comma, blankLinesAreRows: true })).toEqual([
      [1, ['a']],
      [2, [null]],
      [3, ['1']],
      [4, [null]],
    ]);
  });

  it('refills one record when asked to, the same records coming out', () => {
    const reused = { ...comma, reuseRecord: true };
    expect(split(tricky, undefined, reused)).toEqual(split(tricky));
    expect(split('a\n\n1,2,3\n4\n\n', [2], { ...reused, blankLinesAreRows: true })).toEqual([
      [1, ['a']],
      [2, [null]],
      [3, ['1', '2', '3']],
      [4, ['4']],
      [5, [null]],
    ]);
    const records: unknown[] = [];
    const splitter = new CsvSplit(reused);
    splitter.push('x,y\n1,2\n', (r) => records.push(r));
    splitter.end((r) => records.push(r));
    expect(records).toHaveLength(2);
    expect(records[0]).toBe(records[1]);
  });

  it('gives the same records however the text is cut', () => {
    const whole = split(tricky);
    for (let chunk = 1; chunk <= 12; chunk++) expect(split(tricky, [chunk])).toEqual(whole);
  });

  it('counts lines across mixed endings, old-Mac CR included, inside quotes too', () => {
    const text = 'a,b\r1,"x\ry"\n2,"p\r\nq"\r\n3,z';
    const expected = [
      [1, ['a', 'b']],
      [2, ['1', 'x\ry']],
      [4, ['2', 'p\r\nq']],
      [6, ['3', 'z']],
    ];
    for (let chunk = 1; chunk <= 8; chunk++) expect(split(text, [chunk])).toEqual(expected);
  });

  it('reads backslash escapes and a single-quote quote character', () => {
    const options: SplitOptions = { ...comma, quote: "'", escape: 'backslash' };
    expect(split("a,b\n'it\\'s','x\\\\y'\n", [3], options)).toEqual([
      [1, ['a', 'b']],
      [2, ["it's", 'x\\y']],
    ]);
  });

  it('reads every field as it is when there is no quote character', () => {
    expect(split('a|b\n"x|y"\n', undefined, { ...comma, delimiter: '|', quote: '' })).toEqual([
      [1, ['a', 'b']],
      [2, ['"x', 'y"']],
    ]);
  });

  it('names the line an unclosed quote opened on', () => {
    expect(() => split('a,b\n1,2\n3,"never\nclosed\n')).toThrow(
      /t\.csv: the quoted field opened on line 3 is never closed/,
    );
  });

  it('refuses text after a closing quote, by line', () => {
    expect(() => split('a,b\n1,"x"y\n')).toThrow(/t\.csv, line 2: text after the closing quote/);
  });

  it('matches a straightforward reference on random tables, chunked at random', () => {
    const field = fc.oneof(
      fc.constant(null),
      fc.constant(''),
      fc.string({ unit: fc.constantFrom('a', 'é', '😀', ',', '"', '\n', '\r', ' ', '1') }),
    );
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), {
      minLength: 1,
      maxLength: 8,
    });
    const ending = fc.constantFrom('\n', '\r\n', '\r');
    fc.assert(
      fc.property(
        table,
        fc.array(ending, { minLength: 1 }),
        fc.array(fc.nat(9)),
        (rows, ends, cut) => {
          // A lone NULL is a blank line, which is no record; give such rows a second field.
          const records = rows.map((r) => (r.length === 1 && r[0] === null ? [null, null] : r));
          let text = '';
          let line = 1;
          const expected: Array<[number, CsvField[]]> = [];
          records.forEach((fields, k) => {
            expected.push([line, fields]);
            const cells = fields.map((f) =>
              f === null ? '' : f === '' || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f,
            );
            const end = ends[k % ends.length]!;
            text += cells.join(',') + end;
            line += 1 + (cells.join(',').match(/\r\n|\r|\n/g)?.length ?? 0);
          });
          const cuts = cut.length > 0 ? cut : [text.length];
          expect(split(text, cuts)).toEqual(expected);
          // One record object refilled for every record: the same records, wider or narrower.
          expect(split(text, cuts, { ...comma, reuseRecord: true })).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});
