/**
 * The upload (ingest) model, shared by the main process, the CLI and the renderer's upload
 * screen: what sniffing a file finds, the plan a person confirms (renames, retypes, skips, key,
 * target, rules, policy), and what comes back (progress, the validation report, the summary).
 * zod schemas where a value crosses a boundary (IPC, a rules file), plain types otherwise.
 */
import { z } from 'zod';
import type { SerializedError } from './errors.js';
import { datasetPathSchema, logicalTypes, type LogicalType } from './model.js';

/** Encodings by their WHATWG names; Latin-1 is read as its superset, Windows-1252. */
export const csvEncodings = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type CsvEncoding = (typeof csvEncodings)[number];

export const csvDialectSchema = z.object({
  encoding: z.enum(csvEncodings),
  /** The file starts with a byte-order mark (it is skipped, never read as data). */
  bom: z.boolean().default(false),
  /** One character; sniffing picks among `,` `;` tab `|`, a person may name any other. */
  delimiter: z
    .string()
    .length(1)
    .refine((c) => !['"', "'", '\r', '\n'].includes(c), 'not a usable delimiter'),
  /** '' when fields are never quoted. */
  quote: z.enum(['"', "'", '']).default('"'),
  /** A quote inside a quoted field: doubled (RFC 4180) or after a backslash. */
  escape: z.enum(['double', 'backslash']).default('double'),
  header: z.boolean(),
  /** What the file uses; informative — every ending is read whatever this says. */
  lineEnding: z.enum(['\n', '\r\n', '\r', 'mixed']).default('\n'),
});
export type CsvDialect = z.infer<typeof csvDialectSchema>;

/** What a sample showed about one column of the file. */
export interface ColumnStats {
  /** Non-empty values seen. */
  values: number;
  /** Unquoted empty fields (NULL). */
  nulls: number;
  /** Quoted empty fields (''). */
  empty: number;
  /** Distinct values, counted up to a cap (`distinctCapped` when it was reached). */
  distinct: number;
  distinctCapped: boolean;
  minLength: number;
  maxLength: number;
  /** A few values, as written. */
  examples: string[];
}

export interface IngestColumn {
  /** 0-based position of the field in each record. */
  index: number;
  /** From the header (blanks named column_N, duplicates numbered), or column_N without one. */
  name: string;
  /** The header's text as written, when there is a header. */
  headerText?: string;
  type: LogicalType;
  /** Digits and decimals of a decimal column: enough for every sampled value. */
  precision?: number;
  scale?: number;
  /** The sample held NULLs. */
  nullable: boolean;
  stats: ColumnStats;
}

export interface SniffResult {
  file: string;
  bytes: number;
  dialect: CsvDialect;
  /** Why each choice was made and how sure it is, in sentences for the person. */
  notes: string[];
  /** The first records as text (NULL as null), header excluded. */
  preview: Array<Array<string | null>>;
  columns: IngestColumn[];
  /** Records the types were inferred from; `complete` when that was the whole file. */
  sampledRows: number;
  complete: boolean;
}

export const ruleSchema = z
  .object({
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    /** Values must read as this type, whatever type the column is written as. */
    type: z.enum(logicalTypes).optional(),
    /** Bounds, inclusive: numbers for numeric columns, ISO text for dates and timestamps. */
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    /** A regular expression the whole value must match. */
    pattern: z.string().max(1000).optional(),
    allowed: z.array(z.string()).max(10_000).optional(),
  })
  .strict();
export type ColumnRule = z.infer<typeof ruleSchema>;

/** Declarative rules, per column (by target name); also what `strata ingest --rules` reads. */
export const ruleSetSchema = z
  .object({ columns: z.record(z.string().min(1), ruleSchema).default({}) })
  .strict();
export type RuleSet = z.infer<typeof ruleSetSchema>;

export const ruleNames = [
  'required',
  'unique',
  'type',
  'min',
  'max',
  'pattern',
  'allowed',
  /** The column's write type (inferred, chosen, or the target's): confirmed over the file. */
  'column-type',
  /** A record with more or fewer fields than the header. */
  'field-count',
] as const;
export type RuleName = (typeof ruleNames)[number];

export const planColumnSchema = z.object({
  index: z.number().int().min(0),
  /** The name in the target (a rename when it differs from the file's). */
  name: z.string().trim().min(1).max(256),
  type: z.enum(logicalTypes),
  precision: z.number().int().min(1).max(76).optional(),
  scale: z.number().int().min(0).max(38).optional(),
  skip: z.boolean().default(false),
});
export type PlanColumn = z.infer<typeof planColumnSchema>;

export const writeModes = ['create', 'append', 'replace'] as const;
export const rejectPolicies = ['reject-file', 'load-good-rows'] as const;
export type RejectPolicy = (typeof rejectPolicies)[number];

export const ingestPlanSchema = z.object({
  file: z.string().min(1).max(4096),
  dialect: csvDialectSchema,
  columns: z.array(planColumnSchema).min(1).max(4096),
  /** Target names of the key columns (unique and present in every row); may be empty. */
  key: z.array(z.string().min(1)).max(32).default([]),
  target: z.object({ connectionId: z.string().min(1).max(200), path: datasetPathSchema }),
  mode: z.enum(writeModes).default('create'),
  partitionBy: z.array(z.string().min(1)).max(16).default([]),
  rules: ruleSetSchema.default({ columns: {} }),
  /** reject-file: the first violation aborts the write. load-good-rows: bad rows go aside. */
  policy: z.enum(rejectPolicies).default('reject-file'),
  /** Where load-good-rows writes the rejected rows (CSV: the fields, `_line`, `_error`). */
  rejectsPath: z.string().min(1).max(4096).optional(),
  /** Read and validate everything, write nothing. */
  dryRun: z.boolean().default(false),
});
export type IngestPlan = z.infer<typeof ingestPlanSchema>;
export type IngestPlanInput = z.input<typeof ingestPlanSchema>;

export interface Violation {
  /** Physical line of the record in the file (1-based; the header is line 1 when there is one). */
  line: number;
  /** Target column name; absent for a rule about the whole record (field-count). */
  column?: string;
  rule: RuleName;
  /** The value as written (null for an empty field), cut to 200 characters. */
  value: string | null;
  message: string;
}

export interface RuleCount {
  rule: RuleName;
  column?: string;
  count: number;
}

export interface SchemaIssue {
  column: string;
  message: string;
}

export interface ValidationReport {
  /** Records checked (all of them, unless the run was cancelled or failed). */
  rowsChecked: number;
  rowsRejected: number;
  counts: RuleCount[];
  /** The first violations, in file order. */
  violations: Violation[];
  /** When appending: how the file's columns disagree with the target's (nothing is written). */
  schemaIssues: SchemaIssue[];
}

export type IngestOutcome = 'loaded' | 'rejected' | 'checked';

export interface IngestSummary {
  outcome: IngestOutcome;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  bytes: number;
  ms: number;
  rowsPerSecond: number;
  /** What the store reports holding after the commit. */
  rowsInTarget?: number;
  rejectsPath?: string;
}

export interface IngestProgress {
  rows: number;
  bytes: number;
  totalBytes: number;
  rowsPerSecond: number;
  bytesPerSecond: number;
  /** Estimated from the bytes still to read; absent until there is a rate. */
  etaMs?: number;
}

export interface IngestStatus {
  jobId: string;
  state: 'running' | 'loaded' | 'rejected' | 'checked' | 'failed' | 'cancelled';
  progress: IngestProgress;
  summary?: IngestSummary;
  report?: ValidationReport;
  error?: SerializedError;
}

export const sniffRequestSchema = z.object({
  path: z.string().min(1).max(4096),
  /** Overrides for what sniffing would guess (a person or the CLI knows better). */
  encoding: z.enum(csvEncodings).optional(),
  delimiter: z.string().length(1).optional(),
  header: z.boolean().optional(),
});
export type SniffRequest = z.infer<typeof sniffRequestSchema>;

/** Plain names for the encodings people type: latin1, utf8, utf-16… */
export function encodingNamed(text: string): CsvEncoding | undefined {
  const t = text.trim().toLowerCase().replace(/_/g, '-');
  if (t === 'utf8' || t === 'utf-8') return 'utf-8';
  if (t === 'utf-16' || t === 'utf16' || t === 'utf-16le' || t === 'utf16le') return 'utf-16le';
  if (t === 'utf-16be' || t === 'utf16be') return 'utf-16be';
  if (['latin1', 'latin-1', 'iso-8859-1', 'iso8859-1', 'windows-1252', 'cp1252'].includes(t)) {
    return 'windows-1252';
  }
  return undefined;
}

export type { LogicalType };

/**
 * The plan a person gets by accepting every guess: all columns, named and typed as sniffed, no key,
 * created new, rejected as a whole at the first violation. The upload screen and the CLI start
 * here and change what they are told to.
 */
export function defaultPlan(sniff: SniffResult, target: IngestPlan['target']): IngestPlanInput {
  return {
    file: sniff.file,
    dialect: sniff.dialect,
    columns: sniff.columns.map((c) => ({
      index: c.index,
      name: c.name,
      type: c.type,
      ...(c.precision !== undefined ? { precision: c.precision } : {}),
      ...(c.scale !== undefined ? { scale: c.scale } : {}),
    })),
    target,
  };
}
