/**
 * Worker thread for file datasets: reads rows from the files (streamed first pages, samples),
 * builds caches, and answers pages from them. Every handler may be async — reading files is — so
 * this serves the pool's request/response protocol itself (rpc.ts's serveRpc is synchronous).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CellDetail, ViewSpec } from '../../../shared/model.js';
import { toAppError } from '../../monitor/errors.js';
import type { RpcRequest, RpcResponse } from '../../jobs/rpc.js';
import { describeCell } from '../cells.js';
import { columnNamed } from '../sql/view-query.js';
import { buildCache, type CacheSummary } from './cache-build.js';
import { cachePath, cacheReader, dropReader } from './cache-readers.js';
import type { ColumnsInfo, DatasetSpec } from './dataset.js';
import { openSource, type SourceConfig } from './open-source.js';
import { parquetMetadata, parquetRowCount } from './parquet.js';
import { datasetRows } from './rows.js';
import { sampleColumns } from './sample.js';
import { bindValue, cellOf } from './values.js';
import { buildViewCache, type ViewDefinition } from './view-file.js';

const { source: sourceConfig } = workerData as { source: SourceConfig };
const source = openSource(sourceConfig);

async function readWindow(spec: DatasetSpec, info: ColumnsInfo, offset: number, limit: number) {
  const rows: unknown[][] = [];
  for await (const batch of datasetRows(source, spec, info, { skip: offset, limit })) {
    for (const row of batch) rows.push(row);
  }
  return rows;
}

const handlers = {
  sample: (spec: DatasetSpec) => sampleColumns(source, spec),
  read: async (spec: DatasetSpec, info: ColumnsInfo, offset: number, limit: number) => {
    const rows = await readWindow(spec, info, offset, limit);
    return rows.map((row) => info.columns.map((c, i) => cellOf(row[i], c)));
  },
  readCell: async (
    spec: DatasetSpec,
    info: ColumnsInfo,
    row: number,
    name: string,
  ): Promise<CellDetail | undefined> => {
    const column = columnNamed(info.columns, name);
    const [found] = await readWindow(spec, info, row, 1);
    if (!found) return undefined;
    return describeCell(column, bindValue(found[info.columns.indexOf(column)], column));
  },
  rowCount: async (spec: DatasetSpec) => {
    let rows = 0;
    for (const file of spec.files) rows += parquetRowCount(await parquetMetadata(source, file));
    return rows;
  },
  build: (spec: DatasetSpec, info: ColumnsInfo, file: string) =>
    buildCache(source, spec, info, file),
  buildView: (base: CacheSummary, definition: ViewDefinition, file: string) =>
    buildViewCache(base, definition, file),
  page: (file: string, view: ViewSpec, offset: number, limit: number) =>
    cacheReader(file).page(cachePath, view, offset, limit),
  count: (file: string, view: ViewSpec) => cacheReader(file).count(cachePath, view),
  cell: (file: string, view: ViewSpec, row: number, column: string) =>
    cacheReader(file).cell(cachePath, view, row, column),
  drop: (file: string) => dropReader(file),
};

export type FileWorkerMethod = keyof typeof handlers;

const port = parentPort;
if (!port) throw new Error('The file-datasets worker must run in a worker thread');
port.on('message', (request: RpcRequest) => {
  void (async () => {
    let response: RpcResponse;
    try {
      const handler = handlers[request.method as FileWorkerMethod] as
        ((...args: unknown[]) => unknown) | undefined;
      if (!handler) throw new Error(`Unknown worker method ${request.method}`);
      response = { id: request.id, ok: true, value: await handler(...request.args) };
    } catch (error) {
      response = { id: request.id, ok: false, error: toAppError(error).toJSON() };
    }
    port.postMessage(response);
  })();
});
