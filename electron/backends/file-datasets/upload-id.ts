/**
 * Names an upload by when it started plus randomness (`lz1k3q8g-3f9a0c1d`), so leftovers of a
 * crashed upload can be aged from their names alone, on a disk or in a bucket, and part files
 * from different uploads never collide in one dataset folder.
 */
import { randomBytes } from 'node:crypto';

const uploadIdPattern = /^([0-9a-z]{6,12})-[0-9a-f]{8}$/;

export function newUploadId(now = Date.now()): string {
  return `${now.toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function isUploadId(text: string): boolean {
  return uploadIdPattern.test(text);
}

/** When the upload named `id` started (ms since 1970), or undefined for any other name. */
export function uploadStartedAt(id: string): number | undefined {
  const match = uploadIdPattern.exec(id);
  if (!match) return undefined;
  const time = parseInt(match[1]!, 36);
  return Number.isSafeInteger(time) ? time : undefined;
}

/** `part-00003-<id>.csv.gz`: Spark's part naming, made unique per upload (see isStrataPart). */
export function partFileName(index: number, uploadId: string): string {
  return `part-${String(index).padStart(5, '0')}-${uploadId}.csv.gz`;
}
