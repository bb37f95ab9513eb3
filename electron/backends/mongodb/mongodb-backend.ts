/**
 * MongoDB behind the Backend interface, on the official driver. Databases are the tree's schemas,
 * collections and views its datasets; documents are rows, their (flattened) fields the columns
 * inferred from a sample. Sort and filters run on the server (find/sort/skip/limit, countDocuments);
 * plain views of a collection page by `_id` ranges instead of skipping (see `read`).
 *
 * The JSON view of a document: besides its columns, every dataset answers `cell()` for the
 * pseudo-column `$document` (type json) with the whole document as Extended JSON, pretty-printed
 * (relaxed where lossless, e.g. `{"$oid": …}`, `{"$date": …}`, `{"$numberDecimal": …}` kept).
 * It is not among `describe()`'s columns, so pages stay small: the renderer asks for it when a
 * row is opened — `cell(ref, view, rowIndex, '$document')` — and shows `text` as JSON.
 */
import type { Document, FindOptions, MongoClient } from 'mongodb';
import { BSON } from 'mongodb';
import { AppError } from '../../../shared/errors.js';
import type { CellDetail, Column, DatasetPath, Page, ViewSpec } from '../../../shared/model.js';
import type { Backend, BackendFactory, QueryOptions } from '../backend.js';
import type { DatasetWriter } from '../writer.js';
import { describeCell } from '../cells.js';
import { KeysetBoundaries } from '../sql/keyset.js';
import { describeMongoCell, extendedJsonText, mongoCell } from './bson-values.js';
import { listedDatabases, mongoLookup, mongoTree, type MongoDataset } from './catalog.js';
import { connectMongo, guarded, maxTimeMS, targetOf, type MongoConfig } from './client.js';
import { translateMongoError } from './errors.js';
import { createMongoWriter } from './mongodb-writer.js';
import { describeMongoTarget, mongodbCapabilities as capabilities } from './engine.js';
import { fieldValue, isPlainKey, type MongoField } from './schema-inference.js';
import { fieldNamed, mongoFilter, mongoSort } from './view-query.js';

export type { MongoConfig } from './client.js';

export const documentColumnName = '$document';
const documentColumn: Column = {
  name: documentColumnName,
  type: 'json',
  nativeType: 'document',
  nullable: false,
};

/** Projections wider than this cost more to send than the fields they leave out. */
const maxProjected = 200;

interface Cached {
  dataset: MongoDataset;
  keyset: KeysetBoundaries;
  /** Cleared if the server refuses the `_id` index hint (a clustered or odd collection). */
  keysetUsable: boolean;
}

class MongoBackend implements Backend {
  readonly capabilities = capabilities;
  /** Datasets described so far; dropped by `tree()` (the UI's refresh) and after a failed read. */
  private readonly datasets = new Map<string, Promise<Cached>>();
  private readonly target;
  /** Uploads (mongodb-writer.ts); a commit drops the cached descriptions, shapes may change. */
  readonly writer: DatasetWriter;

  constructor(
    private readonly client: MongoClient,
    private readonly config: MongoConfig,
  ) {
    this.target = targetOf(config);
    this.writer = createMongoWriter(client, config, () => this.datasets.clear());
  }

  tree(options?: QueryOptions) {
    this.datasets.clear();
    return guarded(this.target, options, (signal) => mongoTree(this.client, this.config, signal));
  }

  async describe(path: DatasetPath, options?: QueryOptions) {
    return {
      ...(await this.dataset(path, options)).dataset.schema,
      documentColumn: documentColumnName,
    };
  }

  async page(
    path: DatasetPath,
    view: ViewSpec,
    offset: number,
    limit: number,
    options?: QueryOptions,
  ): Promise<Page> {
    const cached = await this.dataset(path, options);
    const { fields } = cached.dataset;
    const docs = await this.read(path, cached, view, offset, limit, fields, options);
    return {
      offset,
      rows: docs.map((doc) => fields.map((f) => mongoCell(fieldValue(doc, f), f.column.type))),
    };
  }

  async count(path: DatasetPath, view: ViewSpec, options?: QueryOptions): Promise<number> {
    const { dataset } = await this.dataset(path, options);
    const filter = mongoFilter(dataset.fields, view.filters);
    return this.run(path, options, (signal) =>
      this.collection(dataset).countDocuments(filter, { maxTimeMS, signal }),
    );
  }

  async cell(
    path: DatasetPath,
    view: ViewSpec,
    row: number,
    columnName: string,
    options?: QueryOptions,
  ): Promise<CellDetail> {
    const cached = await this.dataset(path, options);
    const field =
      columnName === documentColumnName ? undefined : fieldNamed(cached.dataset.fields, columnName);
    const docs = await this.read(path, cached, view, row, 1, field ? [field] : undefined, options);
    const doc = docs[0];
    if (!doc) throw new AppError('not-found', `Row ${row + 1} is past the end of the dataset`);
    if (!field) return describeCell(documentColumn, extendedJsonText(doc, 2));
    return describeMongoCell(field.column, fieldValue(doc, field));
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private collection(dataset: MongoDataset) {
    return this.client.db(dataset.database).collection(dataset.collection);
  }

  /**
   * Documents `offset`..`offset+limit` of the view, with only the top-level fields `selected`
   * needs (undefined: whole documents). An unsorted, unfiltered collection starts from the nearest
   * page boundary it has served (`min: {_id}` on the _id index, which unlike `$gt` spans _ids of
   * every BSON type) and skips only the rows after it, so deep pages cost no more than near ones.
   */
  private async read(
    path: DatasetPath,
    cached: Cached,
    view: ViewSpec,
    offset: number,
    limit: number,
    selected: readonly MongoField[] | undefined,
    options: QueryOptions | undefined,
  ): Promise<Document[]> {
    const { dataset, keyset } = cached;
    const plain = view.sort.length === 0 && view.filters.length === 0;
    const useKeyset = plain && dataset.type === 'collection' && cached.keysetUsable;
    const base: FindOptions = {
      sort: mongoSort(dataset.fields, view.sort),
      skip: checked(offset),
      limit: checked(limit),
      maxTimeMS,
      promoteValues: false,
      bsonRegExp: true,
      ...projectionFor(selected),
    };
    const filter = mongoFilter(dataset.fields, view.filters);
    const start = useKeyset ? keyset.start(offset) : { after: undefined, skip: offset };
    const query = (findOptions: FindOptions) => (signal: AbortSignal | undefined) =>
      this.collection(dataset)
        .find(filter, { ...findOptions, signal })
        .toArray();
    const find = (findOptions: FindOptions) => this.run(path, options, query(findOptions));
    let docs: Document[];
    if (start.after === undefined) {
      docs = await find(base);
    } else {
      // `min` is inclusive: the boundary row itself is skipped with the rest (if it was deleted
      // meanwhile, the page shifts by one row, as skipping by offset would after a delete).
      const after = BSON.EJSON.parse(String(start.after), { relaxed: false }) as unknown;
      try {
        // Not through `run`: a refusal here says nothing about the dataset's description.
        docs = await guarded(
          this.target,
          options,
          query({ ...base, min: { _id: after }, hint: { _id: 1 }, skip: start.skip + 1 }),
        );
      } catch (error) {
        // A refused hint or bound reads as a bad query; anything else (cancelled, a timeout…)
        // would fail the same way without the bound, so it is not retried.
        const refused =
          error instanceof AppError && ['invalid-input', 'query-failed'].includes(error.code);
        if (!refused) throw error;
        cached.keysetUsable = false;
        keyset.clear();
        docs = await find(base);
      }
    }
    const last = docs[docs.length - 1];
    if (useKeyset && last && '_id' in last) {
      keyset.remember(offset + docs.length, BSON.EJSON.stringify(last._id, { relaxed: false }));
    }
    return docs;
  }

  /** Runs a read on a dataset, forgetting its description if it failed (its shape may have changed). */
  private async run<T>(
    path: DatasetPath,
    options: QueryOptions | undefined,
    work: (signal: AbortSignal | undefined) => Promise<T>,
  ): Promise<T> {
    try {
      return await guarded(this.target, options, work);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'cancelled') {
        this.datasets.delete(path.join('\u0000'));
      }
      throw error;
    }
  }

  private dataset(path: DatasetPath, options: QueryOptions | undefined): Promise<Cached> {
    if (options?.signal?.aborted) return Promise.reject(new AppError('cancelled', 'Cancelled'));
    const id = path.join('\u0000');
    let cached = this.datasets.get(id);
    if (!cached) {
      // Shared by every waiting caller: no one caller's cancellation may end it (maxTimeMS bounds it).
      cached = guarded(this.target, undefined, (signal) =>
        mongoLookup(this.client, this.config, path, signal),
      ).then((dataset) => ({ dataset, keyset: new KeysetBoundaries(), keysetUsable: true }));
      cached.catch(() => this.datasets.delete(id));
      this.datasets.set(id, cached);
    }
    return cached;
  }
}

/** `{projection}` naming the top-level fields of `selected`, or nothing when every field is due. */
function projectionFor(selected: readonly MongoField[] | undefined): FindOptions {
  if (!selected || selected.length > maxProjected) return {};
  const tops = new Set(selected.map((f) => f.segments[0]!));
  // A dotted or $-prefixed key would be read as a path or an operator: fetch whole documents.
  if (![...tops].every(isPlainKey)) return {};
  return { projection: Object.fromEntries([...tops].map((key) => [key, 1])) };
}

function checked(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('invalid-input', `Bad row number ${n}`);
  return n;
}

export async function openMongo(
  config: MongoConfig,
  overrides?: Parameters<typeof connectMongo>[1],
): Promise<Backend> {
  return mongoBackend(await connectMongo(config, overrides), config);
}

/** A Backend over a client that is already connected (which it then owns and closes). */
export function mongoBackend(client: MongoClient, config: MongoConfig): Backend {
  return new MongoBackend(client, config);
}

export const mongodbFactory: BackendFactory<MongoConfig> = {
  capabilities,
  describeTarget: describeMongoTarget,
  validate: async (config) => {
    const client = await connectMongo(config);
    try {
      // MongoDB creates a database on its first write, so a typo would otherwise "work", empty.
      // A user who may not list databases cannot be told either way, and is let through.
      const database = config.database;
      const listed = database ? await listedDatabases(client) : undefined;
      if (database && listed && !listed.includes(database)) {
        throw new AppError(
          'not-found',
          `MongoDB at ${targetOf(config).hosts} has no database “${database}”`,
          'Check the database name: MongoDB only creates a database when something is first written to it.',
        );
      }
    } catch (error) {
      throw translateMongoError(error, targetOf(config));
    } finally {
      await client.close().catch(() => undefined);
    }
  },
  open: (config) => openMongo(config),
};
