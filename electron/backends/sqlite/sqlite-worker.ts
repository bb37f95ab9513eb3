/** Worker thread: one read-only SQLite connection answering the reader's methods over RPC. */
import { workerData } from 'node:worker_threads';
import { serveRpc } from '../../jobs/rpc.js';
import { SqliteRangeChecksums } from './range-checksum.js';
import { SqliteReader } from './sqlite-reader.js';
import { tableFingerprint } from './table-fingerprint.js';

const { file } = workerData as { file: string };
let reader: SqliteReader | undefined;
const open = (): SqliteReader => (reader ??= new SqliteReader(file));
let checksums: SqliteRangeChecksums | undefined;
const ranges = (): SqliteRangeChecksums =>
  (checksums ??= new SqliteRangeChecksums(file, (path) => open().describe(path)));

serveRpc({
  tree: () => open().tree(),
  describe: (...args: Parameters<SqliteReader['describe']>) => open().describe(...args),
  page: (...args: Parameters<SqliteReader['page']>) => open().page(...args),
  count: (...args: Parameters<SqliteReader['count']>) => open().count(...args),
  cell: (...args: Parameters<SqliteReader['cell']>) => open().cell(...args),
  checksumRanges: (...args: Parameters<SqliteRangeChecksums['checksumRanges']>) =>
    ranges().checksumRanges(...args),
  keyBoundaries: (...args: Parameters<SqliteRangeChecksums['keyBoundaries']>) =>
    ranges().keyBoundaries(...args),
  fingerprint: (fd: number, path: string[]) => tableFingerprint(file, fd, path),
});
