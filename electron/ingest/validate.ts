/**
 * Row validation: every record is converted to its columns' types (which confirms the inferred
 * types over the whole file) and checked against the declarative rules — required, unique, type,
 * min/max, pattern, allowed — and the key (implicitly required and unique). A record that breaks
 * anything is rejected as a whole; the report counts violations per rule and column and keeps the
 * first ones with line, column and value.
 *
 * Choices: `required` refuses NULL and the empty string alike; `pattern` must match the whole
 * value as written; `allowed` compares the text as written; `min`/`max` compare numbers for numeric
 * columns, instants for timestamps and text (ISO dates sort as text) otherwise; a value seen again
 * by `unique` or the key is rejected, the first one kept — under load-good-rows only rows that were
 * loaded count as seen.
 */
import { AppError } from '../../shared/errors.js';
import type { ColumnRule, RuleCount, RuleName, Violation } from '../../shared/ingest.js';
import type { WriteValue } from '../backends/writer.js';
import type { CsvField } from './csv-split.js';
import { SeenKeys, type KeyValue } from './seen-keys.js';
import { converterFor, invalid, keepsEmptyText, typeDescription, type TypeSpec } from './values.js';

export interface CheckedColumn {
  /** Position of the field in the record. */
  index: number;
  /** Name in the target. */
  name: string;
  spec: TypeSpec;
  rule?: ColumnRule;
}

export interface CheckSpec {
  /** Fields each record must have (the header's count). */
  width: number;
  columns: CheckedColumn[];
  /** Positions in `columns` of the key. */
  key: number[];
  /** How many violations the report keeps in full. */
  maxViolations: number;
}

type Check = (value: WriteValue, raw: string) => string | undefined;

interface ColumnChecker {
  column: CheckedColumn;
  convert: (text: string) => WriteValue | typeof invalid;
  keepEmpty: boolean;
  required: boolean;
  checks: Array<{ rule: RuleName; check: Check }>;
  seen?: SeenKeys;
}

const numeric = new Set(['integer', 'bigint', 'decimal', 'float']);

export class RowChecker {
  rowsChecked = 0;
  rowsRejected = 0;
  readonly violations: Violation[] = [];
  /** Messages for the last rejected row (for the rejects file). */
  readonly rowErrors: string[] = [];
  private readonly counts = new Map<string, RuleCount>();
  private readonly checkers: ColumnChecker[];
  private readonly keySeen = new SeenKeys();
  /**
   * Keys of the row being checked, recorded as seen once the whole row passes: two parallel
   * arrays and a count rather than a pair per key (an allocation per row of every load with a key).
   */
  private readonly pendingSeen: SeenKeys[] = [];
  private readonly pendingKeys: KeyValue[] = [];
  private pending = 0;

  constructor(private readonly spec: CheckSpec) {
    this.checkers = spec.columns.map((column, position) => compileColumn(column, spec, position));
  }

  /**
   * The record's typed row, or undefined when it breaks a rule (then see `rowErrors`). Filled
   * into `into` when given (a caller that copies the values out reuses one array).
   */
  check(fields: CsvField[], line: number, into?: WriteValue[]): WriteValue[] | undefined {
    this.rowsChecked++;
    if (this.rowErrors.length > 0) this.rowErrors.length = 0;
    this.pending = 0;
    const width = this.spec.width;
    if (fields.length !== width && !(fields.length > width && extrasEmpty(fields, width))) {
      const message = `${fields.length} field${fields.length === 1 ? '' : 's'} where the header has ${width}`;
      this.note({ line, rule: 'field-count', value: null, message });
      return this.reject();
    }
    const checkers = this.checkers;
    const row: WriteValue[] = into ?? new Array<WriteValue>(checkers.length);
    for (let c = 0; c < checkers.length; c++) {
      const checker = checkers[c]!;
      const raw = fields[checker.column.index] ?? null;
      let value: WriteValue | typeof invalid = null;
      if (raw !== null && raw !== '') value = checker.convert(raw);
      else if (raw === '' && checker.keepEmpty) value = '';
      const column = checker.column.name;
      if (value === invalid) {
        const message = `${quoteValue(raw)} is not ${typeDescription(checker.column.spec)}`;
        this.note({ line, column, rule: 'column-type', value: raw, message });
        continue;
      }
      row[c] = value;
      if (value === null || value === '') {
        if (checker.required)
          this.note({ line, column, rule: 'required', value: raw, message: 'a value is required' });
        if (value === null) continue;
      }
      for (const { rule, check } of checker.checks) {
        const message = check(value, raw!);
        if (message !== undefined) this.note({ line, column, rule, value: raw, message });
      }
      if (checker.seen) {
        const key = keyOf(value);
        const first = checker.seen.get(key);
        if (first !== undefined) {
          const message = `${quoteValue(raw)} is already on line ${first}`;
          this.note({ line, column, rule: 'unique', value: raw, message });
        } else this.addPending(checker.seen, key);
      }
    }
    if (this.rowErrors.length === 0 && this.spec.key.length > 1) this.checkCompositeKey(row, line);
    if (this.rowErrors.length > 0) return this.reject();
    for (let k = 0; k < this.pending; k++) this.pendingSeen[k]!.set(this.pendingKeys[k]!, line);
    return row;
  }

  private addPending(seen: SeenKeys, key: KeyValue): void {
    this.pendingSeen[this.pending] = seen;
    this.pendingKeys[this.pending++] = key;
  }

  counted(): RuleCount[] {
    return [...this.counts.values()];
  }

  private checkCompositeKey(row: WriteValue[], line: number): void {
    const parts = this.spec.key.map((k) => row[k]);
    const column = this.spec.key.map((k) => this.checkers[k]!.column.name).join(', ');
    const key = parts.map((v) => String(keyOf(v ?? null))).join('\u0001');
    const first = this.keySeen.get(key);
    if (first !== undefined) {
      const value = parts.map((v) => String(v)).join(', ');
      this.note({
        line,
        column,
        rule: 'unique',
        value,
        message: `the key (${value}) is already on line ${first}`,
      });
    } else this.addPending(this.keySeen, key);
  }

  private note(violation: Violation): void {
    this.rowErrors.push(
      violation.column ? `${violation.column}: ${violation.message}` : violation.message,
    );
    const id = `${violation.rule}\u0000${violation.column ?? ''}`;
    const count = this.counts.get(id);
    if (count) count.count++;
    else {
      this.counts.set(id, {
        rule: violation.rule,
        ...(violation.column !== undefined ? { column: violation.column } : {}),
        count: 1,
      });
    }
    if (this.violations.length < this.spec.maxViolations) {
      const value = violation.value;
      this.violations.push({
        ...violation,
        value: value && value.length > 200 ? `${value.slice(0, 199)}…` : value,
      });
    }
  }

  private reject(): undefined {
    this.rowsRejected++;
    return undefined;
  }
}

function compileColumn(column: CheckedColumn, spec: CheckSpec, position: number): ColumnChecker {
  const rule = column.rule ?? {};
  const inKey = spec.key.includes(position);
  const checks: ColumnChecker['checks'] = [];
  const where = `the rules for “${column.name}”`;
  if (rule.type) {
    const convert = converterFor({ type: rule.type });
    const wanted = typeDescription({ type: rule.type });
    checks.push({
      rule: 'type',
      check: (_v, raw) =>
        convert(raw) === invalid ? `${quoteValue(raw)} is not ${wanted}` : undefined,
    });
  }
  for (const side of ['min', 'max'] as const) {
    const bound = rule[side];
    if (bound === undefined) continue;
    const compare = comparator(column.spec, bound, `${where}: ${side}`);
    const word = side === 'min' ? 'below the minimum' : 'above the maximum';
    checks.push({
      rule: side,
      check: (value, raw) => {
        const order = compare(value);
        return (side === 'min' ? order < 0 : order > 0)
          ? `${quoteValue(raw)} is ${word} ${String(bound)}`
          : undefined;
      },
    });
  }
  if (rule.pattern !== undefined) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${rule.pattern})$`, 'u');
    } catch (error) {
      throw new AppError(
        'invalid-input',
        `${where}: pattern is not a regular expression (${(error as Error).message})`,
      );
    }
    checks.push({
      rule: 'pattern',
      check: (_v, raw) =>
        pattern.test(raw) ? undefined : `${quoteValue(raw)} does not match ${rule.pattern}`,
    });
  }
  if (rule.allowed) {
    const allowed = new Set(rule.allowed);
    const listed = rule.allowed.slice(0, 5).join(', ') + (rule.allowed.length > 5 ? ', …' : '');
    checks.push({
      rule: 'allowed',
      check: (_v, raw) =>
        allowed.has(raw) ? undefined : `${quoteValue(raw)} is not one of ${listed}`,
    });
  }
  const unique = rule.unique === true || (inKey && spec.key.length === 1);
  return {
    column,
    convert: converterFor(column.spec),
    keepEmpty: keepsEmptyText(column.spec.type),
    required: rule.required === true || inKey,
    checks,
    ...(unique ? { seen: new SeenKeys() } : {}),
  };
}

/** Orders a column's value against a rule's bound: negative below, positive above. */
function comparator(
  spec: TypeSpec,
  bound: number | string,
  where: string,
): (value: WriteValue) => number {
  if (numeric.has(spec.type)) {
    const limit = typeof bound === 'number' ? bound : Number(bound);
    if (typeof bound === 'string' && (bound.trim() === '' || Number.isNaN(limit))) {
      throw new AppError('invalid-input', `${where} must be a number for a ${spec.type} column`);
    }
    return (value) => Number(value) - limit;
  }
  if (spec.type === 'timestamp') {
    const limit = Date.parse(String(bound));
    if (Number.isNaN(limit))
      throw new AppError('invalid-input', `${where} must be an ISO timestamp`);
    return (value) => Date.parse(String(value)) - limit;
  }
  if (spec.type === 'date' || spec.type === 'text' || spec.type === 'unknown') {
    const limit = String(bound);
    return (value) => {
      const text = String(value);
      return text < limit ? -1 : text > limit ? 1 : 0;
    };
  }
  throw new AppError('invalid-input', `${where}: a ${spec.type} column has no order to check`);
}

function keyOf(value: WriteValue): KeyValue {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value ?? '\u0000null';
}

function extrasEmpty(fields: CsvField[], width: number): boolean {
  // A trailing delimiter on every line is common and harmless; real extra values are not.
  for (let i = width; i < fields.length; i++)
    if (fields[i] !== null && fields[i] !== '') return false;
  return true;
}

function quoteValue(raw: string | null): string {
  if (raw === null) return 'NULL';
  return `“${raw.length > 60 ? `${raw.slice(0, 59)}…` : raw}”`;
}
