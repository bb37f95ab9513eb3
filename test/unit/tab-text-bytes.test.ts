/**
 * The bytes the COPY and LOAD DATA encoders write by hand: UTF-8 exactly as Node encodes it,
 * escapes, integers digit by digit, and a buffer that grows and is reused between batches.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodedRows } from '../../electron/backends/row-encoding.js';
import { copyColumns, encodeCopyRows } from '../../electron/backends/postgres/copy-encoding.js';
import { encodeLoadRows, loadColumns } from '../../electron/backends/mysql/load-data-encoding.js';
import { TabTextBytes } from '../../electron/backends/sql/tab-text-bytes.js';
import type { WriteValue } from '../../electron/backends/writer.js';
import type { Column, LogicalType } from '../../shared/model.js';

const escapeNul = () => '\\0';
const written = (write: (out: TabTextBytes) => void) => {
  const out = new TabTextBytes(escapeNul);
  write(out);
  return out.take();
};

describe('TabTextBytes', () => {
  it('writes any string as Node’s UTF-8, lone surrogates as U+FFFD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const bytes = written((out) => out.raw(text));
        expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 200 },
    );
    expect(written((out) => out.raw('a\ud800b')).toString()).toBe('a\ufffdb');
    expect(written((out) => out.raw('😀é€')).toString()).toBe('😀é€');
  });

  it('escapes backslash, tab, newline and carriage return in text, and NUL by its policy', () => {
    expect(written((out) => out.text('a\\b\tc\nd\re\0f', 'c')).toString()).toBe(
      'a\\\\b\\tc\\nd\\re\\0f',
    );
    const refusing = new TabTextBytes((text, column) => {
      throw new Error(`${column}: ${JSON.stringify(text)}`);
    });
    expect(() => refusing.text('x\0', 'note')).toThrow('note: "x\\u0000"');
  });

  it('writes numbers as JavaScript spells them', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.maxSafeInteger(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        (n) => {
          expect(written((out) => out.number(n)).toString()).toBe(String(n));
        },
      ),
      { numRuns: 200 },
    );
    for (const n of [
      0,
      -0,
      -1,
      10,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2 ** 60,
      1.5,
    ]) {
      expect(written((out) => out.number(n)).toString()).toBe(String(n));
    }
  });

  it('grows past its first buffer, and each take holds only what was written since the last', () => {
    const out = new TabTextBytes(escapeNul);
    const long = 'é'.repeat(50_000);
    out.text(long, 'c');
    out.tab();
    out.null();
    const first = out.take();
    expect(first.toString()).toBe(`${long}\t\\N`);
    out.number(7);
    out.newline();
    const second = out.take();
    expect(second.toString()).toBe('7\n');
    // Each take owns its ArrayBuffer, so it can be transferred to another thread.
    expect(second.byteOffset).toBe(0);
    expect(second.buffer.byteLength).toBe(second.length);
    expect(first.toString()).toBe(`${long}\t\\N`);
  });
});

const col = (name: string, type: LogicalType): Column => ({
  name,
  type,
  nativeType: '',
  nullable: true,
});

describe('EncodedRows', () => {
  const columns = [
    col('id', 'bigint'),
    col('name', 'text'),
    col('flag', 'boolean'),
    col('price', 'decimal'),
    col('at', 'timestamp'),
    col('ratio', 'float'),
  ];
  const rows: WriteValue[][] = [
    [1, 'plain', true, '12.50', '2024-01-01T10:00:00+01:00', 0.25],
    [2n ** 62n, 'tab\there, “quotes”, ünïcode', false, 3, '2024-01-01 10:00:00', -1e-7],
    [-3, '', null, null, null, 1e21],
    [null, null, null, null, null, null],
  ];

  it('encodes a batch row by row exactly as the writer encodes it whole', () => {
    const copy = new EncodedRows({ format: 'postgres-copy', columns });
    const load = new EncodedRows({ format: 'mysql-load-data', columns });
    for (const row of rows) {
      copy.add(row);
      load.add(row);
    }
    expect(copy.rows).toBe(rows.length);
    const copied = copy.take();
    expect(copied.rows).toBe(rows.length);
    expect(Buffer.from(copied.bytes).equals(encodeCopyRows(rows, copyColumns(columns)))).toBe(true);
    expect(Buffer.from(load.take().bytes).equals(encodeLoadRows(rows, loadColumns(columns)))).toBe(
      true,
    );
    expect(copy.rows).toBe(0);
    expect(copy.take().bytes.length).toBe(0);
  });
});
