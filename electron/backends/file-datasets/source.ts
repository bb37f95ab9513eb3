/**
 * What the dataset layer needs from a place that holds files: list one level of a folder, and
 * read bytes — a range, or a stream from an offset. A local folder and an S3 bucket both provide
 * it, so formats, partitions and the cache are written once for both.
 *
 * Keys are relative, `/`-separated and never start with `/`; a folder prefix ends with `/`.
 */

export interface SourceEntry {
  key: string;
  size: number;
  /** Milliseconds since the epoch, when known. */
  modified?: number;
  /** What changes when the content does: mtime+size locally, the ETag on S3. */
  version: string;
  contentType?: string;
  /** S3 only: the ETag and storage class, as listed. */
  etag?: string;
  storageClass?: string;
}

export interface SourceListing {
  /** Folder prefixes directly under the listed prefix, each ending with `/`. */
  folders: string[];
  files: SourceEntry[];
}

export interface FileSource {
  /** A secret-free name for messages: the folder path or `s3://bucket`. */
  readonly label: string;
  /** Stable across runs; part of every cache key. */
  readonly identity: string;
  /** One level under `prefix` (`''` is the top: an S3 source lists its buckets there). */
  list(prefix: string, signal?: AbortSignal): Promise<SourceListing>;
  /** Every file under a folder prefix, at any depth, in key order. */
  walk(prefix: string, signal?: AbortSignal): Promise<SourceEntry[]>;
  stat(key: string, signal?: AbortSignal): Promise<SourceEntry | undefined>;
  readRange(key: string, start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** Bytes of `key` from `start` to the end; stopping the iteration stops the read. */
  stream(key: string, start?: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** Where a key is, for messages: the full path or `s3://bucket/key`. */
  describeKey(key: string): string;
  close?(): void;
}

/**
 * The write side of a place that holds files, used by the dataset writer (dataset-writer.ts).
 * Only what an atomic publish needs: whole files put at once, files moved into place, files
 * deleted. Readers never see a half-written file: a put is atomic (temp + fsync + rename locally,
 * one PUT on S3).
 */
export interface WritableFileSource extends FileSource {
  /** Writes a whole file, replacing any; readers see the old bytes or all of the new. */
  put(key: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
  /**
   * Puts the file at `from` at `to` (locally a rename, durable once it returns; on S3 a copy).
   * The original may be left behind: remove its folder afterwards.
   */
  moveInto(from: string, to: string, signal?: AbortSignal): Promise<void>;
  /** Deletes files; a missing one is not an error. */
  remove(keys: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Deletes every file under a folder prefix (ending with `/`), and the folder. */
  removeFolder(prefix: string, signal?: AbortSignal): Promise<void>;
  /**
   * The folder prefix that private work for `key` goes under: the folder's root locally (`''`),
   * the key's bucket on S3 (`bucket/`), so a move never leaves the file system or bucket.
   */
  rootOf(key: string): string;
}

/** Wraps a source to count the bytes it hands out: how tests check that a page read little. */
export function countingSource(source: FileSource): FileSource & { bytesRead: number } {
  const counted: FileSource & { bytesRead: number } = {
    bytesRead: 0,
    label: source.label,
    identity: source.identity,
    list: (prefix, signal) => source.list(prefix, signal),
    walk: (prefix, signal) => source.walk(prefix, signal),
    stat: (key, signal) => source.stat(key, signal),
    describeKey: (key) => source.describeKey(key),
    readRange: async (key, start, end, signal) => {
      const bytes = await source.readRange(key, start, end, signal);
      counted.bytesRead += bytes.byteLength;
      return bytes;
    },
    async *stream(key, start, signal) {
      for await (const chunk of source.stream(key, start, signal)) {
        counted.bytesRead += chunk.byteLength;
        yield chunk;
      }
    },
  };
  return counted;
}
