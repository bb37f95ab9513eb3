/**
 * The connection form for each kind of store: its fields, defaults and secret. These mirror each
 * engine's zod configSchema in the main process, which has the last word when a draft is tested
 * or saved; a field left blank is left out of the config.
 */
import type { ConnectionKind } from '../../../shared/model';

export type FieldSpec =
  | { name: string; label: string; type: 'text'; placeholder?: string; mono?: boolean }
  | { name: string; label: string; type: 'number'; placeholder?: string }
  | { name: string; label: string; type: 'checkbox' };

export interface KindForm {
  kind: ConnectionKind;
  label: string;
  fields: FieldSpec[];
  defaults: Record<string, string | boolean>;
  /** The engine config field holding this kind's secret, if it has one. */
  secret?: { name: 'password' | 'secretAccessKey'; label: string };
  /** Whether it talks to a host and port, so an SSH tunnel can carry it. */
  tunnel: boolean;
  /** What to paste into “Paste URL”, as a hint. */
  urlExample?: string;
}

const host = (port: string): FieldSpec[] => [
  { name: 'host', label: 'Host', type: 'text', placeholder: '127.0.0.1', mono: true },
  { name: 'port', label: 'Port', type: 'number', placeholder: port },
];

export const kindForms: KindForm[] = [
  {
    kind: 'sqlite',
    label: 'SQLite',
    fields: [
      {
        name: 'path',
        label: 'File path',
        type: 'text',
        placeholder: '/path/to/database.sqlite',
        mono: true,
      },
    ],
    defaults: {},
    tunnel: false,
    urlExample: 'sqlite:/path/to/file.db',
  },
  {
    kind: 'postgres',
    label: 'PostgreSQL',
    fields: [
      ...host('5432'),
      { name: 'user', label: 'User', type: 'text', placeholder: 'postgres' },
      { name: 'database', label: 'Database', type: 'text', placeholder: 'postgres' },
      { name: 'ssl', label: 'Require TLS', type: 'checkbox' },
    ],
    defaults: { host: '127.0.0.1', port: '5432', user: 'postgres', database: 'postgres' },
    secret: { name: 'password', label: 'Password' },
    tunnel: true,
    urlExample: 'postgres://user@host:5432/database',
  },
  {
    kind: 'mysql',
    label: 'MySQL / MariaDB',
    fields: [
      ...host('3306'),
      { name: 'user', label: 'User', type: 'text', placeholder: 'root' },
      { name: 'database', label: 'Database (optional)', type: 'text' },
      { name: 'ssl', label: 'Require TLS', type: 'checkbox' },
    ],
    defaults: { host: '127.0.0.1', port: '3306', user: 'root' },
    secret: { name: 'password', label: 'Password' },
    tunnel: true,
    urlExample: 'mysql://user@host:3306/database',
  },
  {
    kind: 'mongodb',
    label: 'MongoDB',
    fields: [
      {
        name: 'url',
        label: 'URL (without password)',
        type: 'text',
        placeholder: 'mongodb://user@host:27017',
        mono: true,
      },
      { name: 'database', label: 'Database (optional)', type: 'text' },
    ],
    defaults: { url: 'mongodb://127.0.0.1:27017' },
    secret: { name: 'password', label: 'Password' },
    tunnel: false,
    urlExample: 'mongodb://user@host:27017/database',
  },
  {
    kind: 'redis',
    label: 'Redis',
    fields: [
      ...host('6379'),
      { name: 'db', label: 'Database index', type: 'number', placeholder: '0' },
      { name: 'user', label: 'User (optional)', type: 'text' },
      {
        name: 'keyPattern',
        label: 'Key pattern (optional)',
        type: 'text',
        placeholder: '*',
        mono: true,
      },
      { name: 'tls', label: 'Use TLS', type: 'checkbox' },
    ],
    defaults: { host: '127.0.0.1', port: '6379' },
    secret: { name: 'password', label: 'Password' },
    tunnel: true,
    urlExample: 'redis://host:6379/0',
  },
  {
    kind: 's3',
    label: 'S3 bucket',
    fields: [
      { name: 'bucket', label: 'Bucket', type: 'text' },
      { name: 'prefix', label: 'Prefix (optional)', type: 'text', mono: true },
      {
        name: 'endpoint',
        label: 'Endpoint (blank for AWS)',
        type: 'text',
        placeholder: 'http://127.0.0.1:9000',
        mono: true,
      },
      { name: 'region', label: 'Region', type: 'text', placeholder: 'us-east-1' },
      { name: 'accessKeyId', label: 'Access key id', type: 'text', mono: true },
      {
        name: 'forcePathStyle',
        label: 'Path-style addressing (MinIO and most non-AWS stores)',
        type: 'checkbox',
      },
    ],
    defaults: { region: 'us-east-1' },
    secret: { name: 'secretAccessKey', label: 'Secret access key' },
    tunnel: false,
    urlExample: 's3://bucket/prefix',
  },
  {
    kind: 'files',
    label: 'Local folder',
    fields: [
      { name: 'root', label: 'Folder', type: 'text', placeholder: '/path/to/data', mono: true },
    ],
    defaults: {},
    tunnel: false,
  },
];

export function formFor(kind: ConnectionKind): KindForm {
  return kindForms.find((form) => form.kind === kind) ?? kindForms[0]!;
}
