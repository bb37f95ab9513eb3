/** Range checksums and key boundaries run over a server engine's pool (PostgreSQL, MariaDB). */
import { AppError } from '../../../shared/errors.js';
import type {
  KeyBoundariesRequest,
  QueryOptions,
  RangeChecksum,
  RangeChecksumRequest,
} from '../backend.js';
import { mapLimit } from '../file-datasets/catalog.js';
import type { RowValue } from '../scan.js';
import {
  boundarySteps,
  collectChecksums,
  planBoundaries,
  planChecksums,
} from './range-checksum.js';
import type { RangeChecksumDialect } from './range-checksum.js';
import type { ServerDataset, SqlEngine } from './server-engine.js';

function dialectOf(engine: SqlEngine): RangeChecksumDialect {
  if (!engine.rangeChecksums) {
    throw new AppError('invalid-input', 'This store cannot checksum key ranges on the server');
  }
  return engine.rangeChecksums;
}

export async function serverChecksumRanges(
  engine: SqlEngine,
  dataset: ServerDataset,
  request: RangeChecksumRequest,
  options: QueryOptions | undefined,
): Promise<RangeChecksum[]> {
  const plans = planChecksums(
    dialectOf(engine),
    dataset.qualified,
    dataset.described.columns,
    request,
  );
  // Three at a time, under the pool's size of 4: a query waiting for a pooled connection counts against
  // the connect timeout, and a checksum scan can hold its connection longer than that.
  const answers = await mapLimit(plans, 3, (plan) =>
    engine.query(plan.query.sql, plan.query.params, options),
  );
  return collectChecksums(plans, answers, request.ranges.length);
}

export async function serverKeyBoundaries(
  engine: SqlEngine,
  dataset: ServerDataset,
  request: KeyBoundariesRequest,
  options: QueryOptions | undefined,
): Promise<RowValue[][]> {
  const columns = dataset.described.columns;
  const steps = boundarySteps(
    planBoundaries(dialectOf(engine), dataset.qualified, columns, request),
    columns,
    request,
  );
  let step = steps.next();
  while (!step.done) {
    step = steps.next(await engine.query(step.value.sql, step.value.params, options));
  }
  return step.value;
}
