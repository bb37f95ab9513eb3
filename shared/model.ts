/**
 * The data model shared by the main process, the renderer, the web host and the CLI.
 * Plain types and zod schemas only: no electron, DOM or node imports.
 */
import { z } from 'zod';

/** What a column holds, independent of the engine's own type name. */
export const logicalTypes = [
  'integer',
  'bigint',
  'decimal',
  'float',
  'boolean',
  'date',
  'timestamp',
  'text',
  'json',
  'blob',
  'unknown',
] as const;
export type LogicalType = (typeof logicalTypes)[number];

export interface Column {
  name: string;
  type: LogicalType;
  /** The engine's own type name as declared, e.g. `DECIMAL(10,2)`. */
  nativeType: string;
  nullable: boolean;
}

/** A dataset's shape: its columns in order and the columns of its key (may be empty). */
export interface DatasetSchema {
  columns: Column[];
  key: string[];
  kind: DatasetKind;
  /**
   * A pseudo-column whose cell is the whole record as JSON, for stores of documents: not among
   * `columns`, but `getCell` answers it for any row.
   */
  documentColumn?: string;
}

export type DatasetKind = 'table' | 'view';

/**
 * A dataset inside a connection, named by its path as the tree shows it:
 * `['main', 'sales']` for SQLite, `['public', 'orders']` for PostgreSQL.
 */
export const datasetPathSchema = z.array(z.string().min(1).max(1024)).min(1).max(8);
export type DatasetPath = z.infer<typeof datasetPathSchema>;

export const datasetRefSchema = z.object({
  connectionId: z.string().min(1).max(200),
  path: datasetPathSchema,
});
export type DatasetRef = z.infer<typeof datasetRefSchema>;

/**
 * A cell as it crosses a process boundary. Plain JSON values where they are faithful; tagged
 * objects where they would not be: blobs, text too long to ship in a page, integers past 2^53.
 */
export type CellValue =
  null | string | number | boolean | BlobCell | TruncatedTextCell | BigIntCell;
export interface BlobCell {
  $blob: number;
  /** Hex of the first bytes. */
  head: string;
}
export interface TruncatedTextCell {
  $text: string;
  length: number;
}
export interface BigIntCell {
  $bigint: string;
}

export const sortSpecSchema = z.object({
  column: z.string().min(1),
  direction: z.enum(['asc', 'desc']),
});
export type SortSpec = z.infer<typeof sortSpecSchema>;

/** Filter values arrive as typed text; each backend coerces them to the column's type. */
export const filterSchema = z.discriminatedUnion('op', [
  z.object({ column: z.string().min(1), op: z.literal('eq'), value: z.string().max(10_000) }),
  z.object({ column: z.string().min(1), op: z.literal('contains'), value: z.string().max(10_000) }),
  z.object({
    column: z.string().min(1),
    op: z.literal('range'),
    min: z.string().max(200).optional(),
    max: z.string().max(200).optional(),
  }),
  z.object({ column: z.string().min(1), op: z.literal('isNull') }),
  z.object({ column: z.string().min(1), op: z.literal('notNull') }),
]);
export type Filter = z.infer<typeof filterSchema>;

export const viewSpecSchema = z.object({
  sort: z.array(sortSpecSchema).max(16).default([]),
  filters: z.array(filterSchema).max(64).default([]),
});
export type ViewSpec = z.infer<typeof viewSpecSchema>;

export const pageRequestSchema = z.object({
  ref: datasetRefSchema,
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(5_000),
  view: viewSpecSchema,
});
export type PageRequest = z.infer<typeof pageRequestSchema>;

/** Rows as arrays aligned to the dataset's columns, starting at `offset` in the view's order. */
export interface Page {
  offset: number;
  rows: CellValue[][];
}

export interface TreeNode {
  /** Stable within a connection; the dataset path joined, for datasets. */
  id: string;
  label: string;
  kind: 'schema' | 'table' | 'view' | 'materialized-view' | 'keyspace';
  path: DatasetPath;
  rowCount?: number;
  /** False when `rowCount` is the engine's estimate rather than a count. */
  rowCountExact?: boolean;
  children?: TreeNode[];
}

/** What an engine can do, asked instead of asking which engine it is. */
export interface Capabilities {
  serverSort: boolean;
  serverFilter: boolean;
  transactions: boolean;
  partitions: boolean;
  /**
   * Where `partitions` is false, why, in words for a person: shown beside the disabled
   * partition option of an upload and in the error of a load that asks for one anyway.
   */
  partitionsNote?: string;
  schemas: boolean;
  write: boolean;
}

/** Every kind of store Strata connects to (each has a folder under electron/backends). */
export type ConnectionKind = 'sqlite' | 'postgres' | 'mysql' | 'mongodb' | 'redis' | 's3' | 'files';
/** The same kinds as a list, for pickers and zod enums. */
export const connectionKinds = [
  'sqlite',
  'postgres',
  'mysql',
  'mongodb',
  'redis',
  's3',
  'files',
] as const satisfies readonly ConnectionKind[];

/**
 * A connection's engine configuration with every secret taken out: what the renderer may see and
 * edit. Its exact shape is each engine's zod `configSchema`, checked in the main process.
 */
export type PublicConnectionConfig = { kind: ConnectionKind } & {
  [field: string]: string | number | boolean | null | undefined;
};

/**
 * An SSH tunnel in front of a connection: `host` is a host name or a `~/.ssh/config` alias whose
 * HostName, Port, User and IdentityFile fill what is left out here. Its secrets (password,
 * private key, passphrase) are kept apart, encrypted, like the connection's own password.
 */
export const sshTunnelSchema = z.object({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65_535).optional(),
  user: z.string().trim().min(1).max(255).optional(),
  /** A private key file on the machine running Strata, read each time the tunnel opens. */
  privateKeyPath: z.string().trim().min(1).max(4096).optional(),
});
export type SshTunnel = z.infer<typeof sshTunnelSchema>;

/** A tunnel as the renderer sees it: settings, and which secrets are saved (never their values). */
export interface TunnelInfo extends SshTunnel {
  hasPassword: boolean;
  hasPrivateKey: boolean;
  hasPassphrase: boolean;
}

export interface ConnectionInfo {
  id: string;
  name: string;
  kind: ConnectionKind;
  /** Where it points, safe to show: a file path or a host, never a secret. */
  target: string;
  readOnly: boolean;
  capabilities: Capabilities;
  status: ConnectionStatus;
  /** The saved settings, secrets removed, for the edit form. */
  config: PublicConnectionConfig;
  /** Whether a password (or secret key) is saved for the store; its value never leaves main. */
  hasPassword: boolean;
  tunnel?: TunnelInfo;
  /** Set when the last call failed because the store could not be reached: offer Reconnect. */
  lastFailure?: { message: string; hint?: string };
}

export type ConnectionStatus =
  | { state: 'ready' }
  | { state: 'preparing'; label: string; done: number; total: number }
  | { state: 'error'; message: string };

/** A full value for the cell viewer, fetched on demand. */
export interface CellDetail {
  column: string;
  type: LogicalType;
  /** Text for text/json/numbers; hex for blobs (first 64 KiB). */
  text: string | null;
  byteLength: number;
  truncated: boolean;
}

export interface JobProgress {
  jobId: string;
  label: string;
  done: number;
  total: number;
  unit: 'rows' | 'bytes';
  state: 'running' | 'done' | 'failed' | 'cancelled';
  message?: string;
}
