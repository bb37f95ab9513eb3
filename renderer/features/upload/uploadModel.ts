/**
 * The upload wizard's choices, kept as plain data, and how they become an `IngestPlan`: column
 * choices and rules are held by the file's column index (a rename never loses a rule or the key),
 * and turned into target names only when the plan is built.
 */
import {
  type CsvEncoding,
  type IngestPlanInput,
  type RejectPolicy,
  type RuleSet,
  type SniffResult,
  type writeModes,
} from '../../../shared/ingest';
import type { LogicalType } from '../../../shared/model';
import { ruleFromDraft, type RuleDraft } from './ruleDrafts';

export type WriteMode = (typeof writeModes)[number];
export type StepId = 'file' | 'columns' | 'target' | 'rules' | 'load';
export const steps: ReadonlyArray<{ id: StepId; label: string }> = [
  { id: 'file', label: 'File' },
  { id: 'columns', label: 'Columns' },
  { id: 'target', label: 'Target' },
  { id: 'rules', label: 'Rules' },
  { id: 'load', label: 'Load' },
];

/** Where the wizard starts: what was dropped or picked, and where it was dropped. */
export interface UploadSeed {
  /** The file's full path, when the host revealed it (Electron) or it is known. */
  filePath?: string;
  /** The file's name only (a browser hides where a dropped file lives). */
  fileName?: string;
  note?: string;
  connectionId?: string;
  /** A dataset to append to (with mode append) or a folder to create a dataset in. */
  targetPath?: string[];
  mode?: WriteMode;
}

/** What the person asked sniffing to take as given instead of guessing. */
export interface SniffOverrides {
  encoding?: CsvEncoding;
  delimiter?: string;
  header?: boolean;
}

export interface ColumnChoice {
  index: number;
  name: string;
  type: LogicalType;
  precision?: number;
  scale?: number;
  skip: boolean;
}

export interface TargetChoice {
  connectionId: string;
  /** The schema / database / folder part of the path ([] at the top level). */
  container: string[];
  name: string;
  mode: WriteMode;
  /** File column indices, in the order picked. */
  partitionBy: number[];
}

export interface RulesChoice {
  byColumn: Record<number, RuleDraft>;
  policy: RejectPolicy;
  rejectsPath: string;
}

const extension = /\.(csv|tsv|txt)$/i;
export const csvFile = extension;

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** `Orders 2024 (final).csv` → `orders_2024_final`: a name every store accepts. */
export function defaultDatasetName(path: string): string {
  const stem = baseName(path).replace(extension, '');
  const name = stem
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return name.length === 0 ? 'upload' : /^\p{N}/u.test(name) ? `t_${name}` : name;
}

/** Beside the file: `/data/orders.csv` → `/data/orders.rejects.csv`. */
export function rejectsPathFor(path: string): string {
  return extension.test(path) ? path.replace(extension, '.rejects.csv') : `${path}.rejects.csv`;
}

export function columnsFrom(sniff: SniffResult): ColumnChoice[] {
  return sniff.columns.map((c) => ({
    index: c.index,
    name: c.name,
    type: c.type === 'unknown' ? 'text' : c.type,
    ...(c.precision !== undefined ? { precision: c.precision } : {}),
    ...(c.scale !== undefined ? { scale: c.scale } : {}),
    skip: false,
  }));
}

/** What stops the columns from being loaded as chosen, in sentences. */
export function columnProblems(columns: readonly ColumnChoice[]): string[] {
  const kept = columns.filter((c) => !c.skip);
  if (kept.length === 0) return ['Every column is skipped: keep at least one.'];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const column of kept) {
    const name = column.name.trim();
    if (name.length === 0) problems.push(`Column ${column.index + 1} has no name.`);
    else if (seen.has(name.toLowerCase())) problems.push(`Two columns are named “${name}”.`);
    seen.add(name.toLowerCase());
  }
  return problems;
}

export function buildPlan(options: {
  sniff: SniffResult;
  dialect: SniffResult['dialect'];
  columns: readonly ColumnChoice[];
  key: number | undefined;
  target: TargetChoice;
  rules: RulesChoice;
  dryRun: boolean;
}): IngestPlanInput {
  const { sniff, dialect, columns, key, target, rules, dryRun } = options;
  const nameOf = (index: number) => columns.find((c) => c.index === index)?.name.trim() ?? '';
  const kept = columns.filter((c) => !c.skip);
  const keptIndex = new Set(kept.map((c) => c.index));
  const ruleSet: RuleSet = { columns: {} };
  for (const column of kept) {
    const draft = rules.byColumn[column.index];
    const rule = draft && ruleFromDraft(draft, column.type);
    if (rule) ruleSet.columns[column.name.trim()] = rule;
  }
  return {
    file: sniff.file,
    dialect,
    columns: columns.map((c) => ({
      index: c.index,
      name: c.name.trim() || `column_${c.index + 1}`,
      type: c.type,
      ...(c.type === 'decimal' && c.precision !== undefined ? { precision: c.precision } : {}),
      ...(c.type === 'decimal' && c.scale !== undefined ? { scale: c.scale } : {}),
      skip: c.skip,
    })),
    key: key !== undefined && keptIndex.has(key) ? [nameOf(key)] : [],
    target: {
      connectionId: target.connectionId,
      path: [...target.container, target.name.trim()],
    },
    mode: target.mode,
    partitionBy: target.partitionBy.filter((i) => keptIndex.has(i)).map(nameOf),
    rules: ruleSet,
    policy: rules.policy,
    ...(rules.policy === 'load-good-rows' && rules.rejectsPath.trim()
      ? { rejectsPath: rules.rejectsPath.trim() }
      : {}),
    dryRun,
  };
}
