/**
 * Resource limits for the threads of a load (the ingest worker, store writer workers): a young
 * generation of 8 MiB instead of V8's default of up to 32. Their garbage is short-lived rows, and
 * each such thread's nursery counts in the process's resident memory: measured ~20 MiB less peak
 * RSS for an ingest into SQLite (the aim is a 1 GB CSV loaded in under 300 MB), speed the same
 * within noise.
 */
export const loadWorkerLimits = { maxYoungGenerationSizeMb: 8 } as const;
