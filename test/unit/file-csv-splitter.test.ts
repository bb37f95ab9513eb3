/** The streaming CSV splitter: quoting, line breaks, NULL vs "", errors by line, any chunking. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { CsvSplitter, type CsvField } from '../../electron/backends/file-datasets/csv-splitter.js';

function split(text: string, chunk = text.length, delimiter = ','): Array<[number, CsvField[]]> {
  const splitter = new CsvSplitter(delimiter, 'test.csv');
  const out: Array<[number, CsvField[]]> = [];
  const emit = (r: { fields: CsvField[]; line: number }) => {
    out.push([r.line, r.fields]);
  };
  for (let i = 0; i < text.length; i += chunk) splitter.push(text.slice(i, i + chunk), emit);
  splitter.end(emit);
  return out;
}

const tricky =
  '\uFEFFid,name,note\r\n1,"Lovelace, Ada","said ""hi""\nthen left"\r\n2,,""\n3,plain,\n\n4,"",x';

describe('CsvSplitter', () => {
  it('splits quoted commas, doubled quotes, embedded newlines, CRLF and a BOM', () => {
    expect(split(tricky)).toEqual([
      [1, ['id', 'name', 'note']],
      [2, ['1', 'Lovelace, Ada', 'said "hi"\nthen left']],
      [4, ['2', null, '']],
      [5, ['3', 'plain', null]],
      [7, ['4', '', 'x']],
    ]);
  });

  it('gives the same records however the text is cut into chunks', () => {
    const whole = split(tricky);
    for (let chunk = 1; chunk <= 12; chunk++) expect(split(tricky, chunk)).toEqual(whole);
  });

  it('tells an unquoted empty field (NULL) from a quoted one (empty string)', () => {
    expect(split('a,b,c\n,"",\n')).toEqual([
      [1, ['a', 'b', 'c']],
      [2, [null, '', null]],
    ]);
  });

  it('splits TSV with the tab delimiter, commas kept in fields', () => {
    expect(split('a\tb\n1,5\t"x\ty"\n', 3, '\t')).toEqual([
      [1, ['a', 'b']],
      [2, ['1,5', 'x\ty']],
    ]);
  });

  it('stops when the consumer says so', () => {
    const splitter = new CsvSplitter(',', 'f.csv');
    const seen: CsvField[][] = [];
    const going = splitter.push('a\n1\n2\n3\n', (r) => {
      seen.push(r.fields);
      return seen.length < 2;
    });
    expect(going).toBe(false);
    expect(seen).toEqual([['a'], ['1']]);
  });

  it('names the file and line of an unclosed quote and of text after a closing quote', () => {
    const unclosed = (() => {
      try {
        split('a,b\n1,2\n3,"open\n4,5\n');
      } catch (error) {
        return error;
      }
    })();
    expect(unclosed).toBeInstanceOf(AppError);
    expect((unclosed as AppError).code).toBe('query-failed');
    expect((unclosed as AppError).message).toMatch(/test\.csv.*line 3/);
    expect(() => split('a\n"x"y\n')).toThrow(/test\.csv, line 2: text after the closing quote/);
  });
});
