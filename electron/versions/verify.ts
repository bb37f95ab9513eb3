/**
 * Verify: re-hash every object (decompressed, in the versions worker) and check every manifest —
 * that it parses, its checksum holds, and every object it lists is present and sound. Each problem
 * names the object (or manifest) and the snapshots that need it.
 */
import type { VerifyProblem, VerifyReport } from '../../shared/versions.js';
import type { JobContext } from '../jobs/job-registry.js';
import type { WorkerPool } from '../jobs/worker-pool.js';
import type { StoreLayout } from './layout.js';
import { readManifests } from './manifest.js';
import { corrupted } from './codec.js';
import { ObjectStore, type ObjectLocation } from './object-store.js';

export async function verifyStore(
  layout: StoreLayout,
  pool: WorkerPool,
  job?: JobContext,
): Promise<VerifyReport> {
  const { manifests, damaged } = await readManifests(layout);
  const needs = new Map<string, { snapshots: Set<string>; bytes: number }>();
  for (const manifest of manifests) {
    for (const chunk of manifest.chunks) {
      const entry = needs.get(chunk.hash) ?? { snapshots: new Set<string>(), bytes: chunk.bytes };
      entry.snapshots.add(manifest.id);
      needs.set(chunk.hash, entry);
    }
  }
  const problems: VerifyProblem[] = damaged.map((d) => ({
    subject: d.file,
    kind: 'damaged-manifest',
    detail: d.reason,
    snapshots: [d.id],
  }));
  const store = new ObjectStore(layout);
  const objects = await store.list();
  const present = new Set<string>();
  let bytesChecked = 0;
  const total = objects.reduce((n, o) => n + o.size, 0);
  // Two checks in flight keep the worker fed while this thread reads the next directory entry.
  const check = async (object: (typeof objects)[number]) => {
    present.add(object.hash);
    try {
      // A delta is checked with its base, found here (it may be in another pack).
      const baseHash = await store.baseOf(object.hash);
      const base = baseHash === undefined ? undefined : await store.locate(baseHash);
      if (baseHash !== undefined && !base) {
        throw corrupted(object.hash, `the object it is a delta of, ${baseHash}, is missing`);
      }
      const location: ObjectLocation = { file: object.file, size: object.size };
      if (object.offset !== undefined) location.offset = object.offset;
      await pool.call(
        'check',
        [location, object.hash, needs.get(object.hash)?.bytes, base && { ...base, hash: baseHash }],
        { ...(job ? { signal: job.signal } : {}) },
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'cancelled') throw error;
      problems.push({
        subject: object.hash,
        kind: 'corrupted-object',
        detail: (error as Error).message,
        snapshots: [...(needs.get(object.hash)?.snapshots ?? [])].sort(),
      });
    }
    bytesChecked += object.size;
    job?.progress(bytesChecked, total);
  };
  for (let i = 0; i < objects.length; i += 2) {
    await Promise.all(objects.slice(i, i + 2).map(check));
  }
  for (const [hash, entry] of needs) {
    if (present.has(hash)) continue;
    problems.push({
      subject: hash,
      kind: 'missing-object',
      detail: `Object ${hash} is missing from the versions store`,
      snapshots: [...entry.snapshots].sort(),
    });
  }
  return {
    ok: problems.length === 0,
    objects: objects.length,
    snapshots: manifests.length + damaged.length,
    bytesChecked,
    problems,
  };
}
