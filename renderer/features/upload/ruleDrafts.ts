/**
 * Rules as the editor holds them — text per field until the plan is built — and a rules JSON file
 * (what `strata ingest --rules` reads) matched to the file's columns.
 */
import { ruleSetSchema, type ColumnRule, type RuleSet } from '../../../shared/ingest';
import type { LogicalType } from '../../../shared/model';
import type { ColumnChoice } from './uploadModel';

/** One column's rules as the editor holds them: text until the plan is built. */
export interface RuleDraft {
  required: boolean;
  unique: boolean;
  min: string;
  max: string;
  pattern: string;
  allowed: string;
}
export const emptyRule: RuleDraft = {
  required: false,
  unique: false,
  min: '',
  max: '',
  pattern: '',
  allowed: '',
};

const numericTypes: ReadonlySet<LogicalType> = new Set(['integer', 'bigint', 'decimal', 'float']);

function bound(text: string, type: LogicalType): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  const number = Number(trimmed);
  return numericTypes.has(type) && Number.isFinite(number) ? number : trimmed;
}

export function patternError(pattern: string): string | undefined {
  if (pattern.length === 0) return undefined;
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : 'not a regular expression';
  }
}

export function ruleFromDraft(draft: RuleDraft, type: LogicalType): ColumnRule | undefined {
  const min = bound(draft.min, type);
  const max = bound(draft.max, type);
  const allowed = draft.allowed
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  const rule: ColumnRule = {
    ...(draft.required ? { required: true } : {}),
    ...(draft.unique ? { unique: true } : {}),
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(draft.pattern.length > 0 ? { pattern: draft.pattern } : {}),
    ...(allowed.length > 0 ? { allowed } : {}),
  };
  return Object.keys(rule).length > 0 ? rule : undefined;
}

export function draftFromRule(rule: ColumnRule): RuleDraft {
  return {
    required: rule.required === true,
    unique: rule.unique === true,
    min: rule.min === undefined ? '' : String(rule.min),
    max: rule.max === undefined ? '' : String(rule.max),
    pattern: rule.pattern ?? '',
    allowed: (rule.allowed ?? []).join(', '),
  };
}

/**
 * A rules file (the same JSON `strata ingest --rules` reads) matched to the file's columns by
 * target name, case aside. Rules for names the file does not have are reported, not dropped silently.
 */
export function rulesFromJson(
  text: string,
  columns: readonly ColumnChoice[],
): { byColumn: Record<number, RuleDraft>; unmatched: string[] } {
  const checked = ruleSetSchema.safeParse(JSON.parse(text));
  if (!checked.success) {
    const where = (path: PropertyKey[]) => path.map(String).join('.') || 'the top level';
    const issues = checked.error.issues.slice(0, 3);
    throw new Error(issues.map((i) => `${where(i.path)}: ${i.message}`).join('; '));
  }
  const parsed: RuleSet = checked.data;
  const byColumn: Record<number, RuleDraft> = {};
  const unmatched: string[] = [];
  for (const [name, rule] of Object.entries(parsed.columns)) {
    const column = columns.find((c) => c.name.trim().toLowerCase() === name.toLowerCase());
    if (column) byColumn[column.index] = draftFromRule(rule);
    else unmatched.push(name);
  }
  return { byColumn, unmatched };
}
