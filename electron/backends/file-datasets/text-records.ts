/**
 * Records of the text formats, batch by batch: CSV/TSV as arrays under the file's header, JSON
 * Lines as objects with nested objects flattened to dotted names (`address.city`), so each leaf is
 * a column that sorts and filters; arrays stay whole as JSON. Bytes are streamed (and gunzipped)
 * from the source, so memory follows the batch, never the file.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../../shared/errors.js';
import { CsvSplit, type CsvField } from '../../ingest/csv-split.js';
import type { DatasetFile } from './dataset.js';
import type { FileSource } from './source.js';

export type RecordBatch =
  | { kind: 'arrays'; header: string[]; rows: unknown[][] }
  | { kind: 'objects'; rows: Array<Record<string, unknown>> };

/** Nesting deeper than this is kept as JSON in one column. */
const maxFlattenDepth = 4;

export async function* textBytes(
  source: FileSource,
  file: DatasetFile,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  let bytes: AsyncIterable<Uint8Array> = source.stream(file.key, 0, signal);
  let unzip: Readable | undefined;
  if (file.format.gzip) {
    unzip = Readable.from(bytes).pipe(createGunzip());
    bytes = unzip;
  }
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of bytes) yield decoder.decode(chunk as Uint8Array, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (error) {
    if (file.format.gzip && (error as { code?: string }).code?.startsWith('Z_')) {
      throw new AppError('query-failed', `${source.describeKey(file.key)} is not valid gzip data`);
    }
    throw error;
  } finally {
    unzip?.destroy();
  }
}

export async function* csvRecords(
  source: FileSource,
  file: DatasetFile,
  delimiter: string,
  signal?: AbortSignal,
  blankLinesAreRows = false,
): AsyncGenerator<RecordBatch> {
  const where = source.describeKey(file.key);
  const splitter = new CsvSplit({
    delimiter,
    quote: '"',
    escape: 'double',
    source: where,
    blankLinesAreRows,
  });
  let header: string[] | undefined;
  let rows: CsvField[][] = [];
  const take = (record: { fields: CsvField[]; line: number }) => {
    if (!header) {
      header = record.fields.map((f) => f ?? '');
      return;
    }
    if (record.fields.length > header.length) {
      // A trailing delimiter on every line is common and harmless; real extra values are not.
      if (record.fields.slice(header.length).some((f) => f !== null && f !== '')) {
        throw new AppError(
          'query-failed',
          `${where}, line ${record.line}: ${record.fields.length} fields where the header has ${header.length}`,
          'Quote fields that contain the delimiter.',
        );
      }
      record.fields.length = header.length;
    }
    rows.push(record.fields);
  };
  // A malformed file is a dataset that cannot be read (query-failed), as for every other store;
  // the splitter's own word, invalid-input, is for a file being uploaded.
  const split = (work: () => void) => {
    try {
      work();
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid-input') throw error;
      throw new AppError('query-failed', error.message, error.hint, { cause: error });
    }
  };
  for await (const text of textBytes(source, file, signal)) {
    split(() => splitter.push(text, take));
    if (rows.length > 0 && header) {
      yield { kind: 'arrays', header, rows };
      rows = [];
    }
  }
  split(() => splitter.end(take));
  if (header) yield { kind: 'arrays', header, rows };
}

export async function* jsonlRecords(
  source: FileSource,
  file: DatasetFile,
  signal?: AbortSignal,
): AsyncGenerator<RecordBatch> {
  const where = source.describeKey(file.key);
  let carry = '';
  let line = 0;
  let rows: Array<Record<string, unknown>> = [];
  const parse = (text: string) => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new AppError(
        'query-failed',
        `${where}, line ${line}: not valid JSON (${(error as Error).message})`,
        'Each line of a JSON Lines file must hold one JSON object.',
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new AppError(
        'query-failed',
        `${where}, line ${line}: a JSON Lines row must be an object`,
      );
    }
    rows.push(flatten(value as Record<string, unknown>));
  };
  for await (const text of textBytes(source, file, signal)) {
    const lines = (carry + text).split('\n');
    carry = lines.pop()!;
    for (const one of lines) parse(one);
    if (rows.length > 0) {
      yield { kind: 'objects', rows };
      rows = [];
    }
  }
  parse(carry);
  yield { kind: 'objects', rows };
}

export function flatten(
  value: Record<string, unknown>,
  into: Record<string, unknown> = {},
  prefix = '',
  depth = 0,
): Record<string, unknown> {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix + key;
    if (
      depth < maxFlattenDepth &&
      typeof inner === 'object' &&
      inner !== null &&
      !Array.isArray(inner) &&
      Object.keys(inner).length > 0
    ) {
      flatten(inner as Record<string, unknown>, into, `${name}.`, depth + 1);
    } else {
      into[name] = inner;
    }
  }
  return into;
}
