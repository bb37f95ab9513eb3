/**
 * Checked readers for raw Redis replies. Commands are sent with `callBuffer` where ioredis's
 * own helpers would lose information (HGETALL into an object reorders numeric field names and
 * turns binary names into text), so their replies arrive as `unknown` and are checked here.
 */
import type { ChainableCommander } from 'ioredis';
import { AppError } from '../../../shared/errors.js';

export function buffers(reply: unknown): Buffer[] {
  if (!Array.isArray(reply) || !reply.every((item) => Buffer.isBuffer(item))) {
    throw new AppError('query-failed', 'Redis sent a reply of an unexpected shape');
  }
  return reply as Buffer[];
}

/** A flat [name, value, name, value…] reply as pairs. */
export function pairs(reply: unknown): Array<[Buffer, Buffer]> {
  const flat = buffers(reply);
  const out: Array<[Buffer, Buffer]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** A SCAN-family reply: the next cursor ('0' at the end) and the batch. */
export function scanReply(reply: unknown): { cursor: string; items: Buffer[] } {
  if (!Array.isArray(reply) || reply.length !== 2) {
    throw new AppError('query-failed', 'Redis sent a SCAN reply of an unexpected shape');
  }
  return { cursor: String(reply[0]), items: buffers(reply[1]) };
}

/**
 * Runs a pipeline; each command's reply, or its Error: one key's failure (MEMORY USAGE forbidden
 * by an ACL, a key that changed type) leaves an empty cell, but a failure of the connection
 * itself fails the whole page, so it is reported rather than shown as a page of blanks.
 */
export async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec();
  if (!results) throw new AppError('unavailable', 'The Redis pipeline was discarded');
  const replies = results.map(([error, reply]) => error ?? reply);
  const broken = replies.find(
    (r): r is Error => r instanceof Error && connectionFailure.test(r.message),
  );
  if (broken) throw broken;
  return replies;
}

const connectionFailure =
  /^(NOAUTH|WRONGPASS|LOADING)|Connection is closed|Stream isn't writeable|max retries|timed out/i;

export function integerOrNull(reply: unknown): number | null {
  return typeof reply === 'number' && Number.isFinite(reply) ? reply : null;
}

/** Runs `work` over `items` in chunks, so one pipeline never holds too many replies. */
export async function inChunks<T, R>(
  items: readonly T[],
  size: number,
  work: (chunk: readonly T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await work(items.slice(i, i + size))));
  return out;
}
