/** Streamed decoding: every encoding, BOMs dropped, invalid UTF-8 named by offset and line. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CsvEncoding } from '../../shared/ingest.js';
import { decodeFile, locateInvalidUtf8 } from '../../electron/ingest/decode.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const where = path.join(dir, name);
  writeFileSync(where, bytes);
  return where;
}

async function text(where: string, encoding: CsvEncoding, chunkSize = 3): Promise<string> {
  let out = '';
  for await (const chunk of decodeFile(where, encoding, { chunkSize })) out += chunk;
  return out;
}

describe('decodeFile', () => {
  it('decodes multi-byte characters cut by any chunk boundary, and drops a BOM', async () => {
    const content = 'id,name\n1,Łódź 😀\n';
    const utf8 = file(
      'u8.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(content)]),
    );
    for (const size of [1, 2, 3, 5, 64]) expect(await text(utf8, 'utf-8', size)).toBe(content);
    const utf16 = file(
      'u16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, 'utf16le')]),
    );
    expect(await text(utf16, 'utf-16le')).toBe(content);
    const cp1252 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]);
    expect(await text(file('w.csv', cp1252), 'windows-1252')).toBe('café €');
  });

  it('reads ASCII runs and multi-byte text alike whatever the chunks, and keeps a U+FEFF inside', async () => {
    // Chunks of pure ASCII take a faster path than the decoder: mixed with others at every cut.
    const content = 'id,name\n1,plain ascii here\n2,Łódź 😀 end\n3,\ufeffkept,more ascii\n4,é\n';
    const utf8 = file(
      'mixed.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(content)]),
    );
    for (let size = 1; size <= 24; size++) expect(await text(utf8, 'utf-8', size)).toBe(content);
    expect(await text(file('plain.csv', content), 'utf-8', 4)).toBe(content);
    const cp1252 = Buffer.concat([
      Buffer.from('abcd,efgh\n'),
      Buffer.from([0xe9, 0x80]),
      Buffer.from('\nxyz'),
    ]);
    for (let size = 1; size <= 8; size++)
      expect(await text(file('w2.csv', cp1252), 'windows-1252', size)).toBe('abcd,efgh\né€\nxyz');
    const bad = file(
      'bad2.csv',
      Buffer.concat([Buffer.from('aaaa\nbbbb\n'), Buffer.from([0xc3, 0x28])]),
    );
    for (const size of [4, 5, 10, 11, 64])
      await expect(text(bad, 'utf-8', size)).rejects.toThrow(/byte 0xC3 at offset 10, line 3/);
  });

  it('stops at invalid UTF-8, naming the byte, its offset and its line', async () => {
    const bad = file(
      'bad.csv',
      Buffer.concat([Buffer.from('a\r\nb\nç\r'), Buffer.from([0x41, 0xc3, 0x28, 0x0a])]),
    );
    await expect(text(bad, 'utf-8')).rejects.toThrow(
      /bad\.csv is not valid UTF-8 \(byte 0xC3 at offset 9, line 4\)/,
    );
    expect(await locateInvalidUtf8(bad)).toEqual({ offset: 9, line: 4, what: 'byte 0xC3' });
  });

  it('names a sequence cut off by the end of the file', async () => {
    const cut = file('cut.csv', Buffer.concat([Buffer.from('ok\n'), Buffer.from([0xe2, 0x82])]));
    await expect(text(cut, 'utf-8')).rejects.toThrow(
      /byte 0xE2 cut off by the end at offset 3, line 2/,
    );
  });
});
