/**
 * SQLite's range checksums and key boundaries, run inside its reader worker. SQLite has no hash
 * function, so the row hash is an aggregate registered on the worker's connection that applies
 * range-checksum-rules.ts in JS; the scan, range filtering and grouping stay in SQLite (the same
 * SQL as the servers, sql/range-checksum.ts). Synchronous, like everything in the worker.
 */
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { Column, DatasetPath } from '../../../shared/model.js';
import type { KeyBoundariesRequest, RangeChecksum, RangeChecksumRequest } from '../backend.js';
import {
  RowHashSum,
  canonicalRowText,
  portableHash,
  type ChecksumColumn,
} from '../range-checksum-rules.js';
import type { RowValue } from '../scan.js';
import {
  boundarySteps,
  collectChecksums,
  planBoundaries,
  planChecksums,
  type PlannedQuery,
  type RangeChecksumDialect,
} from '../sql/range-checksum.js';
import { sqliteDialect } from './dialect.js';
import { translateSqliteError } from './errors.js';

const aggregateName = 'strata_range_checksum';

const sqlString = (text: string) => `'${text.split("'").join("''")}'`;

const rangeSql: RangeChecksumDialect = {
  ...sqliteDialect,
  // BINARY is SQLite's default, but a column declared COLLATE NOCASE would otherwise win.
  orderedKey: (_column, q) => `${q} COLLATE BINARY`,
  // The columns' types travel as the aggregate's first argument, a constant the JS side parses once.
  hashes: [portableHash],
  checksum: (columns) => {
    const types: ChecksumColumn[] = columns.map((c) => ({
      type: c.type,
      nativeType: c.nativeType,
    }));
    const cells = columns.map((c) => sqliteDialect.quoteIdent(c.name));
    return `${aggregateName}(${sqlString(JSON.stringify(types))}, ${cells.join(', ')})`;
  },
};

export class SqliteRangeChecksums {
  private readonly db: Database.Database;
  private readonly types = new Map<string, ChecksumColumn[]>();

  constructor(
    private readonly file: string,
    private readonly describe: (path: DatasetPath) => { columns: Column[] },
  ) {
    try {
      this.db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw translateSqliteError(error, file);
    }
    this.db.aggregate<RowHashSum>(aggregateName, {
      varargs: true,
      deterministic: true,
      safeIntegers: true,
      start: () => new RowHashSum(),
      step: ((sum: RowHashSum, spec: string, ...cells: RowValue[]) => {
        sum.add(canonicalRowText(cells, this.typesOf(spec)));
        return sum;
      }) as never,
      result: (sum) => sum.total().toString(),
    });
  }

  checksumRanges(path: DatasetPath, request: RangeChecksumRequest): RangeChecksum[] {
    const columns = this.describe(path).columns;
    const plans = planChecksums(rangeSql, qualified(path), columns, request);
    const answers = plans.map((plan) => this.run(plan.query));
    return collectChecksums(plans, answers, request.ranges.length);
  }

  keyBoundaries(path: DatasetPath, request: KeyBoundariesRequest): RowValue[][] {
    const columns = this.describe(path).columns;
    const plans = planBoundaries(rangeSql, qualified(path), columns, request);
    const steps = boundarySteps(plans, columns, request);
    let step = steps.next();
    while (!step.done) step = steps.next(this.run(step.value));
    return step.value;
  }

  close(): void {
    this.db.close();
  }

  private run(query: PlannedQuery): unknown[][] {
    try {
      return this.db
        .prepare(query.sql)
        .raw(true)
        .safeIntegers(true)
        .all(...query.params) as unknown[][];
    } catch (error) {
      throw translateSqliteError(error, this.file);
    }
  }

  private typesOf(spec: string): ChecksumColumn[] {
    let types = this.types.get(spec);
    if (!types) {
      types = JSON.parse(spec) as ChecksumColumn[];
      this.types.set(spec, types);
    }
    return types;
  }
}

function qualified(path: DatasetPath): string {
  const [schema, name] = path.length === 1 ? ['main', path[0]] : [path[0], path[1]];
  if (path.length > 2 || schema === undefined || name === undefined) {
    throw new AppError('invalid-input', `“${path.join('.')}” is not a SQLite table or view name`);
  }
  return `${sqliteDialect.quoteIdent(schema)}.${sqliteDialect.quoteIdent(name)}`;
}
