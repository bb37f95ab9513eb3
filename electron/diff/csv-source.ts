/**
 * A CSV file as a diff side, read with the upload's own modules: sniffed (encoding, dialect,
 * header, column types) by `sniffFile`, then decoded, split and typed by the ingest reader — the
 * same values an upload of the file would write. A CSV has no order to rely on, so the diff sorts
 * it (external-sort.ts).
 */
import { AppError } from '../../shared/errors.js';
import type { Column } from '../../shared/model.js';
import type { RowValue } from '../backends/scan.js';
import { readFile } from '../ingest/reader.js';
import { sniffFile } from '../ingest/sniff.js';
import { pushToPull, type RowSource } from './row-source.js';

export async function csvSource(file: string): Promise<RowSource> {
  const sniff = await sniffFile({ path: file });
  const columns: Column[] = sniff.columns.map((c) => ({
    name: c.name,
    type: c.type,
    nativeType: c.type,
    nullable: c.nullable,
  }));
  const check = {
    width: sniff.columns.length,
    columns: sniff.columns.map((c) => ({
      index: c.index,
      name: c.name,
      spec: {
        type: c.type,
        ...(c.precision !== undefined ? { precision: c.precision } : {}),
        ...(c.scale !== undefined ? { scale: c.scale } : {}),
      },
    })),
    key: [],
    maxViolations: 10,
  };
  return {
    columns,
    key: [],
    read(_key, signal) {
      const rows = pushToPull<RowValue[][]>(async (push) => {
        const result = await readFile(
          {
            file,
            dialect: sniff.dialect,
            check,
            policy: 'load-good-rows',
            dryRun: false,
            batchRows: 5_000,
          },
          { batch: (batch) => push(batch), progress: () => undefined, rejecting: () => undefined },
          signal,
        );
        const first = result.violations[0];
        if (first) {
          // A row left out would show as a removed row: a diff must read every record or none.
          throw new AppError(
            'invalid-input',
            `${file}, line ${first.line}: ${first.message}`,
            `The column types were guessed from the first rows (${sniff.sampledRows}); ${result.rowsRejected} row(s) do not fit them. Fix those rows, or compare a dataset loaded with the types you want.`,
          );
        }
      });
      return { rows };
    },
  };
}
