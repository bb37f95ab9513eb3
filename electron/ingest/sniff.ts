/**
 * Sniffing: from the first megabyte of a file, its encoding, dialect (delimiter, quote, escape,
 * header, line endings), the inferred type of each column and a preview. Each guess comes with a
 * note saying why, for the person to confirm or override (`SniffRequest` carries the overrides).
 *
 * - Delimiter: the candidate (`,` `;` tab `|`) that splits the first records — quotes respected —
 *   into the most consistent number of fields (more than one).
 * - Header: by type contrast — a first row whose values do not fit the types the other rows have
 *   is a header; when every column is text, a first row of distinct names not repeated below is.
 */
import { open } from 'node:fs/promises';
import { AppError } from '../../shared/errors.js';
import type { CsvDialect, IngestColumn, SniffRequest, SniffResult } from '../../shared/ingest.js';
import { CsvSplit, type CsvField } from './csv-split.js';
import { dataFileSize, guessEncoding, invalidUtf8At } from './decode.js';
import { columnNames, ColumnGuess } from './infer.js';
import { converterFor, invalid } from './values.js';

const sampleBytes = 1 << 20;
const maxSampleBytes = 64 << 20;
const minSampleRows = 10;
const sampleRows = 10_000;
const previewRows = 20;
const delimiters = [',', '\t', ';', '|'] as const;
const delimiterNames: Record<string, string> = {
  ',': 'comma',
  '\t': 'tab',
  ';': 'semicolon',
  '|': 'pipe',
};

export async function sniffFile(request: SniffRequest): Promise<SniffResult> {
  // A sample holding less than a few records (a huge field) is read again, larger.
  for (let bytes = sampleBytes; ; bytes *= 8) {
    const { head, size } = await readHead(request.path, bytes);
    if (size === 0) throw new AppError('invalid-input', `${request.path} is empty`);
    const result = sniffHead(request, head, size);
    if (result.sampledRows >= minSampleRows || head.length === size || bytes >= maxSampleBytes) {
      return result;
    }
  }
}

function sniffHead(request: SniffRequest, head: Uint8Array, size: number): SniffResult {
  const complete = head.length === size;
  const notes: string[] = [];
  const guessed = guessEncoding(head, complete);
  const encoding = request.encoding ?? guessed.encoding;
  notes.push(request.encoding ? `Encoding ${encoding}, as asked.` : `Encoding: ${guessed.note}.`);
  const text = decodeSample(head, encoding, complete, notes);
  const lineEnding = lineEndingOf(text);

  const quote = text.includes('"') || !/(^|[,;\t|])'[^'\n]*'([,;\t|]|$)/m.test(text) ? '"' : "'";
  if (quote === "'") notes.push('Fields are quoted with single quotes.');
  const { delimiter, escape } = pickDialect(text, complete, quote, request.delimiter, notes);
  if (escape === 'backslash') notes.push('Quotes inside fields are escaped with a backslash.');
  const records = split(text, { delimiter, quote, escape }, complete, sampleRows + 1, request.path);
  if (records.length === 0) throw new AppError('invalid-input', `${request.path} has no records`);

  const detected = request.header === undefined ? detectHeader(records, notes) : undefined;
  const header = request.header ?? detected!.header;
  const width = header ? records[0]!.length : mostCommon(records.map((r) => r.length));
  const headerFields = header ? records[0]! : [];
  const names = columnNames(Array.from({ length: width }, (_, i) => headerFields[i] ?? null));
  names.forEach((name, i) => {
    const original = headerFields[i]?.trim();
    if (header && original && name !== original) {
      notes.push(`Column ${i + 1} is named “${name}”: “${original}” appears more than once.`);
    }
  });
  const rows = header ? records.slice(1) : records;
  // With a header found, detectHeader has already seen exactly these rows, column by column.
  let guesses = header ? detected?.guesses : undefined;
  if (!guesses) {
    const fresh = names.map(() => new ColumnGuess());
    for (const row of rows) fresh.forEach((g, i) => g.observe(row[i] ?? null));
    guesses = fresh;
  }
  const columns: IngestColumn[] = names.map((name, index) => {
    const guess = guesses[index]!;
    return {
      index,
      name,
      ...(header ? { headerText: headerFields[index] ?? '' } : {}),
      ...guess.result(),
      nullable: guess.stats.nulls + guess.stats.empty > 0 || rows.length === 0,
      stats: guess.stats,
    };
  });
  const dialect: CsvDialect = {
    encoding,
    bom: guessed.bom && encoding === guessed.encoding,
    delimiter,
    quote,
    escape,
    header,
    lineEnding,
  };
  return {
    file: request.path,
    bytes: size,
    dialect,
    notes,
    preview: rows.slice(0, previewRows),
    columns,
    sampledRows: rows.length,
    complete: complete && rows.length < sampleRows,
  };
}

async function readHead(file: string, bytes: number): Promise<{ head: Uint8Array; size: number }> {
  const size = await dataFileSize(file);
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(Math.min(size, bytes));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

/**
 * The sample as text. Invalid bytes do not stop sniffing — the person needs the preview to choose
 * another encoding — but they are named in a note, and the load itself refuses them.
 */
function decodeSample(
  head: Uint8Array,
  encoding: CsvDialect['encoding'],
  complete: boolean,
  notes: string[],
): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(head, { stream: !complete });
  } catch {
    const where = encoding === 'utf-8' ? invalidUtf8At(head, complete) : undefined;
    notes.push(
      `Not valid ${encoding === 'utf-8' ? 'UTF-8' : encoding}${where ? ` (${where})` : ''}: the preview shows � there, and loading stops there. If the file was saved as Latin-1 or Windows-1252, choose that encoding.`,
    );
    return new TextDecoder(encoding).decode(head, { stream: !complete });
  }
}

function split(
  text: string,
  dialect: Pick<CsvDialect, 'delimiter' | 'quote' | 'escape'>,
  complete: boolean,
  limit: number,
  source = 'sample',
): CsvField[][] {
  const splitter = new CsvSplit({ ...dialect, source });
  const out: CsvField[][] = [];
  const take = (r: { fields: CsvField[] }) => {
    if (out.length < limit) out.push(r.fields);
  };
  splitter.push(text, take);
  // A sample cut mid-file ends mid-record: that record is not taken.
  if (complete) splitter.end(take);
  return out;
}

/**
 * The delimiter (unless given) and escape style that split the first records most consistently.
 * A backslash escape is only tried where the text has one before a quote, and wins only when it
 * reads better: a doubled-quote reading of `"say \"hi\""` fails outright.
 */
function pickDialect(
  text: string,
  complete: boolean,
  quote: CsvDialect['quote'],
  given: string | undefined,
  notes: string[],
): Pick<CsvDialect, 'delimiter' | 'escape'> {
  const probe = text.slice(0, 64 * 1024);
  const probeComplete = complete && probe.length === text.length;
  const escapes: Array<CsvDialect['escape']> = probe.includes(`\\${quote}`)
    ? ['double', 'backslash']
    : ['double'];
  let best = {
    delimiter: given ?? ',',
    escape: 'double' as CsvDialect['escape'],
    score: -1,
    fields: 1,
  };
  for (const escape of escapes) {
    for (const delimiter of given ? [given] : delimiters) {
      const found = consistency(probe, probeComplete, { delimiter, quote, escape });
      if (!found || (found.fields < 2 && !given)) continue;
      if (found.score > best.score || (found.score === best.score && found.fields > best.fields)) {
        best = { delimiter, escape, ...found };
      }
    }
  }
  if (given) notes.push(`Delimiter ${describe(given)}, as asked.`);
  else if (best.score < 0)
    notes.push('No delimiter splits the lines: the file is read as one column.');
  else {
    const share = Math.round(best.score * 100);
    notes.push(
      `Delimiter: ${describe(best.delimiter)} (${best.fields} fields on ${share}% of the first records).`,
    );
  }
  return { delimiter: best.delimiter, escape: best.escape };
}

/** The most common field count of the first records, and the share of records that have it. */
function consistency(
  probe: string,
  complete: boolean,
  dialect: Pick<CsvDialect, 'delimiter' | 'quote' | 'escape'>,
): { score: number; fields: number } | undefined {
  let counts: number[];
  try {
    counts = split(probe, dialect, complete, 200).map((r) => r.length);
  } catch {
    return undefined;
  }
  if (counts.length === 0) return undefined;
  const fields = mostCommon(counts);
  return { fields, score: counts.filter((n) => n === fields).length / counts.length };
}

/**
 * Whether the first record is a header; when it is, the type guesses of every column over the
 * records after it (the rows sniffHead would guess from again: measured half of a cold sniff).
 */
function detectHeader(
  records: CsvField[][],
  notes: string[],
): { header: boolean; guesses?: ColumnGuess[] } {
  if (records.length === 1) {
    notes.push('A single line: read as a header with no rows.');
    return { header: true };
  }
  const [first, ...rest] = records as [CsvField[], ...CsvField[][]];
  const width = first.length;
  const typed: number[] = [];
  const guesses: ColumnGuess[] = [];
  let misfits = 0;
  for (let c = 0; c < width; c++) {
    const guess = new ColumnGuess();
    guesses.push(guess);
    for (const row of rest) guess.observe(row[c] ?? null);
    const inferred = guess.result();
    if (inferred.type === 'text' || guess.stats.values === 0) continue;
    typed.push(c);
    const value = first[c];
    if (value !== null && value !== undefined && value !== '') {
      if (converterFor(inferred)(value) === invalid) misfits++;
    }
  }
  if (typed.length > 0) {
    const header = misfits > 0;
    notes.push(
      header
        ? `Header: yes — the first line does not fit the types of ${misfits} of the ${typed.length} typed columns.`
        : 'Header: no — the first line fits the types of the other lines.',
    );
    return { header, guesses };
  }
  const names = first.map((f) => f ?? '');
  const distinct = new Set(names).size === names.length && names.every((n) => n.trim() !== '');
  const repeated = names.some((n, c) => rest.some((row) => row[c] === n));
  const header = distinct && !repeated;
  notes.push(
    header
      ? 'Header: assumed — every column is text, and the first line holds distinct names not repeated below.'
      : 'Header: no — every column is text and the first line looks like the others.',
  );
  return { header, guesses };
}

function mostCommon(values: number[]): number {
  const tally = new Map<number, number>();
  let best = values[0] ?? 1;
  for (const v of values) {
    const count = (tally.get(v) ?? 0) + 1;
    tally.set(v, count);
    if (count > tally.get(best)! || (count === tally.get(best) && v > best)) best = v;
  }
  return best;
}

function lineEndingOf(text: string): CsvDialect['lineEnding'] {
  const crlf = text.split('\r\n').length - 1;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  const kinds = [crlf > 0, cr > 0, lf > 0].filter(Boolean).length;
  if (kinds > 1) return 'mixed';
  if (crlf > 0) return '\r\n';
  if (cr > 0) return '\r';
  return '\n';
}

function describe(delimiter: string): string {
  return delimiterNames[delimiter] ?? `“${delimiter}”`;
}
