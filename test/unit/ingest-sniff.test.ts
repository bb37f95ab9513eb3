/** Sniffing encodings, dialects and headers from the first bytes of a file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstInvalidUtf8, guessEncoding } from '../../electron/ingest/decode.js';
import { sniffFile } from '../../electron/ingest/sniff.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-sniff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const where = path.join(dir, name);
  writeFileSync(where, content);
  return where;
}

describe('guessEncoding', () => {
  it('knows BOMs, UTF-16 without one, valid UTF-8, damaged UTF-8 and Latin-1', () => {
    const bytes = (s: string, e: BufferEncoding) => new Uint8Array(Buffer.from(s, e));
    expect(guessEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), true)).toMatchObject({
      encoding: 'utf-8',
      bom: true,
    });
    expect(guessEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0]), true)).toMatchObject({
      encoding: 'utf-16le',
      bom: true,
    });
    expect(guessEncoding(bytes('id,name\n1,x\n', 'utf16le'), true).encoding).toBe('utf-16le');
    expect(guessEncoding(bytes('a,é\n', 'utf8'), true).encoding).toBe('utf-8');
    expect(guessEncoding(bytes('a,é\n', 'latin1'), true)).toMatchObject({
      encoding: 'windows-1252',
      note: 'Windows-1252/Latin-1: not UTF-8 (byte 0xE9 at offset 2, line 1)',
    });
    const damaged = new Uint8Array([...bytes('é\n', 'utf8'), 0xff]);
    expect(guessEncoding(damaged, true)).toMatchObject({
      encoding: 'utf-8',
      note: 'UTF-8, but damaged (byte 0xFF at offset 3, line 2)',
    });
  });

  it('finds the first invalid UTF-8 byte, a sequence cut by the end only when nothing follows', () => {
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc3, 0xa9]), true)).toBeUndefined();
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc3]), false)).toBeUndefined();
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc3]), true)).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xc0, 0x80]), true)).toBe(0); // overlong
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]), true)).toBe(0); // surrogate
    expect(firstInvalidUtf8(new Uint8Array([0xf0, 0x9f, 0x98, 0x80]), true)).toBeUndefined();
  });
});

describe('sniffFile', () => {
  it('picks the delimiter that splits consistently, quotes respected', async () => {
    const sniff = await sniffFile({ path: file('semi.csv', 'a;b;c\n"1,5";2;3\n"x;y";5;6\n') });
    expect(sniff.dialect.delimiter).toBe(';');
    expect(sniff.preview).toEqual([
      ['1,5', '2', '3'],
      ['x;y', '5', '6'],
    ]);
  });

  it('says there is no header when the first line fits the other lines’ types', async () => {
    const sniff = await sniffFile({ path: file('nohead.csv', '1,2024-01-01\n2,2024-01-02\n') });
    expect(sniff.dialect.header).toBe(false);
    expect(sniff.columns.map((c) => c.name)).toEqual(['column_1', 'column_2']);
  });

  it('assumes a header of distinct names when every column is text', async () => {
    const sniff = await sniffFile({ path: file('text.csv', 'name,city\nAda,London\nBob,Paris\n') });
    expect(sniff.dialect.header).toBe(true);
    expect(sniff.notes.join(' ')).toContain('Header: assumed');
  });

  it('takes the person’s word over its own guesses', async () => {
    const sniff = await sniffFile({
      path: file('given.csv', 'a|b,c\n1|2,3\n'),
      delimiter: '|',
      header: false,
      encoding: 'windows-1252',
    });
    expect(sniff.dialect).toMatchObject({
      delimiter: '|',
      header: false,
      encoding: 'windows-1252',
    });
    expect(sniff.preview[0]).toEqual(['a', 'b,c']);
  });

  it('reads further when the first megabyte holds too few records', async () => {
    const sniff = await sniffFile({
      path: file('wide.csv', `id,v\n1,"${'x'.repeat(3 << 20)}"\n2,y\n`),
    });
    expect(sniff.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'v:text']);
    expect(sniff.sampledRows).toBe(2);
  });
});
