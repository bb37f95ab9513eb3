/**
 * From a confirmed plan to what the pipeline runs: the columns to check and their types (the
 * target's own when appending), the rules attached by name, and the `WriteTarget` a writer
 * begins. When appending, the file's columns are compared with the target's first: a column the
 * target lacks, a required target column the file lacks, or a type that cannot be loaded into the
 * target's is a schema issue, and nothing is written.
 */
import { AppError } from '../../shared/errors.js';
import type { IngestPlan, PlanColumn, SchemaIssue } from '../../shared/ingest.js';
import type { Column, DatasetSchema, LogicalType } from '../../shared/model.js';
import type { WriteTarget } from '../backends/writer.js';
import type { CheckedColumn, CheckSpec } from './validate.js';
import type { TypeSpec } from './values.js';

export interface CompiledPlan {
  check: CheckSpec;
  target: WriteTarget;
  issues: SchemaIssue[];
}

export const maxViolations = 100;

/** Which logical types a column inferred (or chosen) as `from` may be loaded into. */
const loadableInto: Record<LogicalType, LogicalType[]> = {
  integer: ['integer', 'bigint', 'decimal', 'float'],
  bigint: ['bigint', 'integer', 'decimal', 'float'],
  decimal: ['decimal', 'float'],
  float: ['float', 'decimal'],
  // 0/1 flags read as booleans fit an integer column; each value is checked as an integer.
  boolean: ['boolean', 'integer', 'bigint'],
  date: ['date', 'timestamp'],
  timestamp: ['timestamp'],
  json: ['json'],
  blob: ['blob'],
  text: [],
  unknown: [],
};

export function compilePlan(
  plan: IngestPlan,
  width: number,
  existing?: DatasetSchema,
): CompiledPlan {
  const kept = plan.columns.filter((c) => !c.skip);
  if (kept.length === 0)
    throw new AppError('invalid-input', 'Every column is skipped: nothing to load');
  const byName = new Map<string, PlanColumn>();
  for (const column of kept) {
    if (column.index >= width) {
      throw new AppError(
        'invalid-input',
        `Column “${column.name}” is field ${column.index + 1}, but records have ${width}`,
      );
    }
    const lower = column.name.toLowerCase();
    if (byName.has(lower))
      throw new AppError('invalid-input', `Two columns are named “${column.name}”`);
    byName.set(lower, column);
  }
  const nameOf = (wanted: string, what: string) => {
    const found = kept.find((c) => c.name === wanted) ?? byName.get(wanted.toLowerCase());
    if (!found)
      throw new AppError(
        'invalid-input',
        `${what} names “${wanted}”, which is not a loaded column`,
      );
    return found.name;
  };
  const key = plan.key.map((k) => nameOf(k, 'The key'));
  const partitionBy = plan.partitionBy.map((p) => nameOf(p, 'Partition by'));
  const rules = new Map<string, NonNullable<CheckedColumn['rule']>>();
  for (const [name, rule] of Object.entries(plan.rules.columns))
    rules.set(nameOf(name, 'The rules'), rule);

  const issues: SchemaIssue[] = [];
  const targetColumns: Column[] = [];
  const checked: CheckedColumn[] = kept.map((column) => {
    let spec: TypeSpec = typeSpec(column, plan.mode);
    let written: Column = {
      name: column.name,
      type: column.type === 'unknown' ? 'text' : column.type,
      nativeType: nativeHint(column),
      nullable: !(key.includes(column.name) || rules.get(column.name)?.required === true),
    };
    if (existing) {
      const match = existing.columns.find(
        (c) => c.name.toLowerCase() === column.name.toLowerCase(),
      );
      if (!match) issues.push({ column: column.name, message: 'the target has no such column' });
      else {
        if (match.type !== column.type && !canLoad(column.type, match.type)) {
          issues.push({
            column: column.name,
            message: `the file's ${column.type} values cannot be loaded into the target's ${match.type} (${match.nativeType}) column`,
          });
        }
        written = match;
        spec = targetSpec(match);
      }
    }
    targetColumns.push(written);
    const rule = rules.get(column.name);
    return { index: column.index, name: written.name, spec, ...(rule ? { rule } : {}) };
  });
  if (existing) {
    for (const column of existing.columns) {
      const present = targetColumns.some((c) => c.name.toLowerCase() === column.name.toLowerCase());
      if (!present && !column.nullable) {
        issues.push({
          column: column.name,
          message: 'the target requires this column; the file has none',
        });
      }
    }
  }
  return {
    check: {
      width,
      columns: checked,
      key: key.map((k) => checked.findIndex((c) => c.name.toLowerCase() === k.toLowerCase())),
      maxViolations,
    },
    target: { path: plan.target.path, mode: plan.mode, columns: targetColumns, key, partitionBy },
    issues,
  };
}

function canLoad(from: LogicalType, to: LogicalType): boolean {
  return to === 'text' || to === 'unknown' || loadableInto[from].includes(to);
}

/**
 * A created column's type is exactly what the plan says, so a 32-bit integer column refuses a
 * larger value; appending, the target's engine has the last word on ranges.
 */
function typeSpec(column: PlanColumn, mode: IngestPlan['mode']): TypeSpec {
  return {
    type: column.type,
    ...(column.precision !== undefined ? { precision: column.precision } : {}),
    ...(column.scale !== undefined ? { scale: column.scale } : {}),
    ...(column.type === 'integer' ? { bits: mode === 'append' ? 64 : 32 } : {}),
  };
}

function targetSpec(column: Column): TypeSpec {
  const m = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(column.nativeType);
  if (column.type === 'decimal' && m) {
    return { type: 'decimal', precision: Number(m[1]), scale: Number(m[2] ?? 0) };
  }
  return { type: column.type, ...(column.type === 'integer' ? { bits: 64 as const } : {}) };
}

/** Writers map logical types to their own; a decimal also says its precision and scale. */
function nativeHint(column: PlanColumn): string {
  if (column.type === 'decimal' && column.precision !== undefined) {
    return `decimal(${column.precision},${column.scale ?? 0})`;
  }
  return '';
}
