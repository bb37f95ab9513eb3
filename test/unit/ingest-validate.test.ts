/** Row validation: types confirmed per value, declarative rules, the key, counts and first lines. */
import { describe, expect, it } from 'vitest';
import { RowChecker, type CheckSpec } from '../../electron/ingest/validate.js';

function checker(columns: CheckSpec['columns'], key: number[] = []) {
  return new RowChecker({ width: columns.length, columns, key, maxViolations: 3 });
}

describe('RowChecker', () => {
  it('converts a good row to its types, NULL and "" as the column type says', () => {
    const rows = checker([
      { index: 0, name: 'id', spec: { type: 'integer', bits: 32 } },
      { index: 1, name: 'note', spec: { type: 'text' } },
      { index: 2, name: 'n', spec: { type: 'float' } },
    ]);
    expect(rows.check(['1', '', ''], 2)).toEqual([1, '', null]);
    expect(rows.check(['2', null, null], 3)).toEqual([2, null, null]);
  });

  it('rejects a value that breaks the column type, by line, column and value', () => {
    const rows = checker([{ index: 0, name: 'qty', spec: { type: 'integer', bits: 32 } }]);
    expect(rows.check(['n/a'], 7)).toBeUndefined();
    expect(rows.violations).toEqual([
      {
        line: 7,
        column: 'qty',
        rule: 'column-type',
        value: 'n/a',
        message: '“n/a” is not a 32-bit integer',
      },
    ]);
    expect(rows.rowErrors).toEqual(['qty: “n/a” is not a 32-bit integer']);
  });

  it('checks required, pattern, allowed, min, max and the type rule', () => {
    const rows = checker([
      {
        index: 0,
        name: 'code',
        spec: { type: 'text' },
        rule: { required: true, pattern: '[A-Z]{2}\\d' },
      },
      { index: 1, name: 'size', spec: { type: 'text' }, rule: { allowed: ['S', 'M', 'L'] } },
      { index: 2, name: 'qty', spec: { type: 'decimal' }, rule: { min: 0, max: '10.5' } },
      { index: 3, name: 'when', spec: { type: 'text' }, rule: { type: 'date', min: '2024-01-01' } },
    ]);
    expect(rows.check(['AB1', 'M', '10.5', '2024-01-01'], 2)).toBeDefined();
    expect(rows.check(['', 'XL', '-1', '2023-12-31'], 3)).toBeUndefined();
    expect(rows.check(['ab1', 'S', '11', 'soon'], 4)).toBeUndefined();
    expect(
      Object.fromEntries(rows.counted().map((c) => [`${c.rule}:${c.column}`, c.count])),
    ).toEqual({
      'required:code': 1,
      'allowed:size': 1,
      'min:qty': 1,
      'min:when': 1,
      'pattern:code': 2,
      'max:qty': 1,
      'type:when': 1,
    });
    // Only the first violations are kept in full; every one is counted.
    expect(rows.violations.map((v) => `${v.line}:${v.rule}`)).toEqual([
      '3:required',
      '3:pattern',
      '3:allowed',
    ]);
    expect(rows.rowsRejected).toBe(2);
  });

  it('keeps the first of repeated unique values, and only rows that passed count as seen', () => {
    const rows = checker(
      [
        { index: 0, name: 'id', spec: { type: 'integer', bits: 32 } },
        { index: 1, name: 'v', spec: { type: 'integer', bits: 32 } },
      ],
      [0],
    );
    expect(rows.check(['1', 'x'], 2)).toBeUndefined(); // rejected: its id is not taken
    expect(rows.check(['1', '5'], 3)).toEqual([1, 5]);
    expect(rows.check(['1', '6'], 4)).toBeUndefined();
    expect(rows.check([null, '7'], 5)).toBeUndefined();
    expect(rows.violations.slice(1).map((v) => v.message)).toEqual([
      '“1” is already on line 3',
      'a value is required',
    ]);
  });

  it('checks a composite key as a whole', () => {
    const rows = checker(
      [
        { index: 0, name: 'a', spec: { type: 'text' } },
        { index: 1, name: 'b', spec: { type: 'integer', bits: 32 } },
      ],
      [0, 1],
    );
    expect(rows.check(['x', '1'], 2)).toBeDefined();
    expect(rows.check(['x', '2'], 3)).toBeDefined();
    expect(rows.check(['x', '1'], 4)).toBeUndefined();
    expect(rows.violations[0]).toMatchObject({
      column: 'a, b',
      rule: 'unique',
      message: 'the key (x, 1) is already on line 2',
    });
  });

  it('rejects ragged records, but not a trailing empty field', () => {
    const rows = checker([
      { index: 0, name: 'a', spec: { type: 'text' } },
      { index: 1, name: 'b', spec: { type: 'text' } },
    ]);
    expect(rows.check(['1', '2', null], 2)).toEqual(['1', '2']);
    expect(rows.check(['1'], 3)).toBeUndefined();
    expect(rows.check(['1', '2', '3'], 4)).toBeUndefined();
    expect(rows.violations.map((v) => v.message)).toEqual([
      '1 field where the header has 2',
      '3 fields where the header has 2',
    ]);
  });

  it('refuses rules that cannot apply, naming the column', () => {
    expect(() =>
      checker([{ index: 0, name: 'ok', spec: { type: 'boolean' }, rule: { min: 1 } }]),
    ).toThrow(/the rules for “ok”: min: a boolean column has no order/);
    expect(() =>
      checker([{ index: 0, name: 'n', spec: { type: 'float' }, rule: { max: 'ten' } }]),
    ).toThrow(/max must be a number/);
    expect(() =>
      checker([{ index: 0, name: 'p', spec: { type: 'text' }, rule: { pattern: '(' } }]),
    ).toThrow(/pattern is not a regular expression/);
  });
});
