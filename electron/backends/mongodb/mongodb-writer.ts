/**
 * MongoDB's DatasetWriter: checks a target, prepares the private collection an upload stages
 * into, and hands over to the session (mongodb-write-session.ts, which says how each mode is
 * published and how atomic it is). A replace stages into a collection made like the target —
 * its options (validator, collation…) and indexes — so the new rows meet the same rules and the
 * collection keeps them; a create gets a unique index on the key. Each begin first drops private
 * collections of uploads that crashed more than an hour ago.
 */
import type { Db, Document, MongoClient } from 'mongodb';
import { AppError } from '../../../shared/errors.js';
import type { DatasetPath } from '../../../shared/model.js';
import { toAppError } from '../../monitor/errors.js';
import { newUploadId, uploadStartedAt } from '../file-datasets/upload-id.js';
import type { DatasetWriter, WriteTarget } from '../writer.js';
import { splitPath } from './catalog.js';
import { targetOf, type MongoConfig } from './client.js';
import { translateMongoError } from './errors.js';
import { MongoWriteSession } from './mongodb-write-session.js';
import { documentPaths } from './write-documents.js';

export const tempPrefix = '_strata_tmp_';
const leftoverAgeMs = 60 * 60 * 1000;
/** Collection options a replaced collection keeps (the rest are the server's business). */
const keptOptions = ['validator', 'validationLevel', 'validationAction', 'collation'] as const;

export function createMongoWriter(
  client: MongoClient,
  config: MongoConfig,
  onCommit?: (path: DatasetPath) => void,
): DatasetWriter {
  const target = targetOf(config);
  return {
    async begin(write, options) {
      const signal = options?.signal;
      const aborted = () => signal?.aborted ?? false;
      const translate = (error: unknown) =>
        writeError(error, () => translateMongoError(error, target, aborted()));
      if (aborted()) throw new AppError('cancelled', 'Cancelled');
      const [database, collection] = splitPath(write.path, config);
      const paths = checkTarget(write, collection);
      const db = client.db(database);
      const temp = `${tempPrefix}${newUploadId()}`;
      try {
        await dropLeftovers(db);
        const [existing] = await db.listCollections({ name: collection }).toArray();
        const where = `${database}.${collection}`;
        if (write.mode === 'create' && existing) {
          throw new AppError(
            'invalid-input',
            `${where} already exists`,
            'Append to it, replace it, or choose another name.',
          );
        }
        if (write.mode !== 'create' && !existing) {
          throw new AppError('not-found', `No collection ${where}`, 'Create it instead.');
        }
        if (existing?.type !== undefined && existing.type !== 'collection') {
          throw new AppError('invalid-input', `${where} is a ${existing.type}, not a collection`);
        }
        const model = write.mode === 'replace' ? (existing as Document) : undefined;
        await prepareStaging(db, temp, collection, write, model);
        const plan = {
          database,
          collection,
          temp,
          mode: write.mode,
          columns: write.columns,
          paths,
          transactions: write.mode === 'append' && (await hasTransactions(client)),
          ownIds: write.columns.some((c) => c.name === '_id'),
        };
        const session = new MongoWriteSession(client, plan, translate, signal);
        return {
          write: (rows) => session.write(rows),
          abort: () => session.abort(),
          commit: async () => {
            const result = await session.commit();
            onCommit?.(write.path);
            return result;
          },
        };
      } catch (error) {
        await db
          .collection(temp)
          .drop()
          .catch(() => undefined);
        throw translate(error);
      }
    },
  };
}

function checkTarget(write: WriteTarget, collection: string): string[][] {
  if (write.partitionBy.length > 0)
    throw new AppError('invalid-input', 'MongoDB collections are not partitioned here');
  if (
    collection.startsWith('system.') ||
    collection.startsWith('_strata_') ||
    collection.includes('$')
  ) {
    throw new AppError('invalid-input', `“${collection}” cannot name a collection Strata writes`);
  }
  if (write.columns.length === 0)
    throw new AppError('invalid-input', 'There are no columns to write');
  const paths = documentPaths(write.columns);
  for (const name of write.key) {
    if (!write.columns.some((c) => c.name === name)) {
      throw new AppError('invalid-input', `“${name}” is not one of the columns being written`);
    }
  }
  return paths;
}

/** The staging collection: like the target for a replace, with a unique key index otherwise. */
async function prepareStaging(
  db: Db,
  temp: string,
  collection: string,
  write: WriteTarget,
  model: Document | undefined,
): Promise<void> {
  const modelOptions = (model?.options ?? {}) as Document;
  const options = Object.fromEntries(
    keptOptions.flatMap((k) => (k in modelOptions ? [[k, modelOptions[k]]] : [])),
  );
  await db.createCollection(temp, options);
  if (model) {
    const indexes = await db.collection(collection).listIndexes().toArray();
    const copied = indexes
      .filter((index) => index.name !== '_id_')
      .map(({ v: _v, ns: _ns, ...index }) => index as Document & { key: Document; name: string });
    if (copied.length > 0) await db.command({ createIndexes: temp, indexes: copied });
  }
  const key = write.key.filter((k) => k !== '_id');
  if (write.mode !== 'append' && key.length > 0 && !model) {
    await db
      .collection(temp)
      .createIndex(Object.fromEntries(key.map((k) => [k, 1])), { unique: true });
  }
}

/** Whether the deployment runs multi-document transactions: a replica set member or mongos. */
async function hasTransactions(client: MongoClient): Promise<boolean> {
  const hello = await client.db('admin').command({ hello: 1 });
  return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
}

/** Drops the staging collections of uploads that started over an hour ago. */
export async function dropLeftovers(
  db: Db,
  now = Date.now(),
  olderThanMs = leftoverAgeMs,
): Promise<number> {
  const names = await db
    .listCollections({ name: { $regex: `^${tempPrefix}` } }, { nameOnly: true })
    .toArray();
  let dropped = 0;
  for (const { name } of names) {
    const started = uploadStartedAt(name.slice(tempPrefix.length));
    if (started === undefined || now - started < olderThanMs) continue;
    if (
      await db
        .collection(name)
        .drop()
        .catch(() => false)
    )
      dropped++;
  }
  return dropped;
}

/** Refusals a write meets that are the rows' fault, not the server's: said as such. */
function writeError(error: unknown, otherwise: () => unknown): AppError {
  if (error instanceof AppError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 11000 || code === 11001) {
    return new AppError(
      'invalid-input',
      `Two rows (or a row and a document already there) have the same key: ${message}`,
      undefined,
      { cause: error },
    );
  }
  if (code === 121) {
    return new AppError(
      'invalid-input',
      `A row does not pass the collection’s validation rules: ${message}`,
      undefined,
      { cause: error },
    );
  }
  if (code === 48) {
    return new AppError(
      'invalid-input',
      `The collection was created by someone else meanwhile: ${message}`,
      'Nothing was published.',
      { cause: error },
    );
  }
  return toAppError(otherwise());
}

function codeOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }> } | null;
  if (typeof e?.code === 'number') return e.code;
  const first = e?.writeErrors?.[0]?.code;
  return typeof first === 'number' ? first : undefined;
}
