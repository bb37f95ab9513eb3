/**
 * A minimal Parquet writer for test fixtures (no Parquet writer is installed; hyparquet only
 * reads). Uncompressed, PLAIN-encoded v1 data pages, one page per column chunk, a row group every
 * `rowGroupSize` rows, metadata in Thrift's compact protocol — the subset every reader accepts.
 * That hyparquet, an independent reader, reads these files back is what the tests rely on.
 */
export type ParquetColumnType =
  'int32' | 'int64' | 'double' | 'boolean' | 'utf8' | 'date' | 'decimal';

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
  optional?: boolean;
  /** For decimals: digits after the point (the value is stored as an INT64 of units). */
  scale?: number;
}

type Value = string | number | boolean | bigint | null;

const physical = { int32: 1, int64: 2, double: 5, boolean: 0, utf8: 6, date: 1, decimal: 2 };
const converted: Partial<Record<ParquetColumnType, number>> = { utf8: 0, date: 6, decimal: 5 };

class Compact {
  bytes: number[] = [];
  private last: number[] = [0];
  varint(n: bigint): void {
    let v = n;
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      this.bytes.push(byte);
    } while (v > 0n);
  }
  zigzag(n: number | bigint): void {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
  }
  field(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1]!;
    this.bytes.push((delta << 4) | type);
    this.last[this.last.length - 1] = id;
  }
  i32(id: number, n: number): void {
    this.field(id, 5);
    this.zigzag(n);
  }
  i64(id: number, n: number | bigint): void {
    this.field(id, 6);
    this.zigzag(n);
  }
  binary(id: number, text: string): void {
    this.field(id, 8);
    const data = Buffer.from(text);
    this.varint(BigInt(data.length));
    this.bytes.push(...data);
  }
  struct(id: number, body: () => void): void {
    this.field(id, 12);
    this.inner(body);
  }
  list(id: number, type: number, items: readonly (() => void)[]): void {
    this.field(id, 9);
    if (items.length < 15) this.bytes.push((items.length << 4) | type);
    else {
      this.bytes.push(0xf0 | type);
      this.varint(BigInt(items.length));
    }
    for (const item of items) item();
  }
  /** A struct's fields (ids restart) followed by the stop byte. */
  inner(body: () => void): void {
    this.last.push(0);
    body();
    this.bytes.push(0);
    this.last.pop();
  }
}

function plainValues(column: ParquetColumn, values: readonly Value[]): Buffer {
  const parts: Buffer[] = [];
  if (column.type === 'boolean') {
    const packed = Buffer.alloc(Math.ceil(values.length / 8));
    values.forEach((v, i) => {
      if (v === true) packed[i >> 3]! |= 1 << (i & 7);
    });
    return packed;
  }
  for (const v of values) {
    const b = Buffer.alloc(column.type === 'int32' || column.type === 'date' ? 4 : 8);
    switch (column.type) {
      case 'int32':
        b.writeInt32LE(Number(v));
        break;
      case 'date':
        b.writeInt32LE(Math.round(Date.parse(`${String(v)}T00:00:00Z`) / 86_400_000));
        break;
      case 'int64':
        b.writeBigInt64LE(BigInt(v as number));
        break;
      case 'decimal':
        b.writeBigInt64LE(BigInt(Math.round(Number(v) * 10 ** (column.scale ?? 0))));
        break;
      case 'double':
        b.writeDoubleLE(Number(v));
        break;
      case 'utf8': {
        const text = Buffer.from(String(v));
        const length = Buffer.alloc(4);
        length.writeInt32LE(text.length);
        parts.push(length, text);
        continue;
      }
    }
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** Definition levels as RLE runs, with the 4-byte length prefix of a v1 page. */
function definitionLevels(values: readonly Value[]): Buffer {
  const runs: number[] = [];
  for (let i = 0; i < values.length;) {
    const level = values[i] === null ? 0 : 1;
    let j = i;
    while (j < values.length && (values[j] === null ? 0 : 1) === level) j++;
    const header = new Compact();
    header.varint(BigInt((j - i) << 1));
    runs.push(...header.bytes, level);
    i = j;
  }
  const length = Buffer.alloc(4);
  length.writeInt32LE(runs.length);
  return Buffer.concat([length, Buffer.from(runs)]);
}

export function writeParquet(
  columns: readonly ParquetColumn[],
  rows: ReadonlyArray<readonly Value[]>,
  rowGroupSize = 1_000,
): Buffer {
  const chunks: Buffer[] = [Buffer.from('PAR1')];
  let offset = 4;
  const groups: Array<{
    rows: number;
    columns: Array<{ offset: number; size: number; values: number }>;
  }> = [];
  for (
    let start = 0;
    start < rows.length || (start === 0 && groups.length === 0);
    start += rowGroupSize
  ) {
    const slice = rows.slice(start, start + rowGroupSize);
    const group = {
      rows: slice.length,
      columns: [] as Array<{ offset: number; size: number; values: number }>,
    };
    columns.forEach((column, c) => {
      const values = slice.map((row) => row[c] ?? null);
      const present = values.filter((v) => v !== null);
      const data = Buffer.concat([
        ...(column.optional ? [definitionLevels(values)] : []),
        plainValues(column, present),
      ]);
      const header = new Compact();
      header.inner(() => {
        header.i32(1, 0);
        header.i32(2, data.length);
        header.i32(3, data.length);
        header.struct(5, () => {
          header.i32(1, values.length);
          header.i32(2, 0);
          header.i32(3, 3);
          header.i32(4, 3);
        });
      });
      const page = Buffer.concat([Buffer.from(header.bytes), data]);
      group.columns.push({ offset, size: page.length, values: values.length });
      chunks.push(page);
      offset += page.length;
    });
    groups.push(group);
    if (rows.length === 0) break;
  }
  const meta = new Compact();
  meta.inner(() => {
    meta.i32(1, 1);
    meta.list(2, 12, [
      () =>
        meta.inner(() => {
          meta.binary(4, 'schema');
          meta.i32(5, columns.length);
        }),
      ...columns.map(
        (column) => () =>
          meta.inner(() => {
            meta.i32(1, physical[column.type]);
            meta.i32(3, column.optional ? 1 : 0);
            meta.binary(4, column.name);
            const annotation = converted[column.type];
            if (annotation !== undefined) meta.i32(6, annotation);
            if (column.type === 'decimal') {
              meta.i32(7, column.scale ?? 0);
              meta.i32(8, 18);
            }
          }),
      ),
    ]);
    meta.i64(3, rows.length);
    meta.list(
      4,
      12,
      groups.map(
        (group) => () =>
          meta.inner(() => {
            meta.list(
              1,
              12,
              group.columns.map(
                (chunk, c) => () =>
                  meta.inner(() => {
                    meta.i64(2, chunk.offset);
                    meta.struct(3, () => {
                      const column = columns[c]!;
                      meta.i32(1, physical[column.type]);
                      meta.list(2, 5, [() => meta.zigzag(0), () => meta.zigzag(3)]);
                      meta.list(3, 8, [
                        () => {
                          const name = Buffer.from(column.name);
                          meta.varint(BigInt(name.length));
                          meta.bytes.push(...name);
                        },
                      ]);
                      meta.i32(4, 0);
                      meta.i64(5, chunk.values);
                      meta.i64(6, chunk.size);
                      meta.i64(7, chunk.size);
                      meta.i64(9, chunk.offset);
                    });
                  }),
              ),
            );
            meta.i64(
              2,
              group.columns.reduce((sum, chunk) => sum + chunk.size, 0),
            );
            meta.i64(3, group.rows);
          }),
      ),
    );
  });
  const footer = Buffer.from(meta.bytes);
  const length = Buffer.alloc(4);
  length.writeInt32LE(footer.length);
  chunks.push(footer, length, Buffer.from('PAR1'));
  return Buffer.concat(chunks);
}
