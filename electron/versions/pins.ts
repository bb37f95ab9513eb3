/**
 * Pins and the gc lock: what makes garbage collection safe while snapshots, restores, imports
 * and exports run, in this process or another.
 *
 * A running operation keeps `pending/<id>.log`: a header with its pid, then the hashes of the
 * objects it needs, one a line, appended *before* it relies on an object. Garbage collection holds
 * `gc.lock` while it reads pins, then manifests, then deletes what neither names. The order
 * closes both races: an operation appends its pin, then waits while a gc holds the lock, so a gc
 * either read the pin or started after it; and a snapshot writes its manifest before it drops
 * its pin, while gc reads pins before manifests, so it sees one or the other. A pin or lock whose
 * process is gone (killed) is stale and ignored.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { isMissing, pidAlive, storeError, tempName } from './durable.js';
import type { StoreLayout } from './layout.js';

export type PinKind = 'snapshot' | 'restore' | 'export' | 'import';

export class Pin {
  private constructor(
    private readonly file: string,
    private readonly handle: fs.FileHandle,
    private readonly layout: StoreLayout,
  ) {}

  static async open(layout: StoreLayout, kind: PinKind, id?: string): Promise<Pin> {
    const name = `${id ?? randomBytes(6).toString('hex')}-${kind}-${process.pid}.log`;
    const file = path.join(layout.pending, name);
    try {
      // Append mode: concurrent writes of one operation each land whole at the end.
      const handle = await fs.open(file, 'ax');
      const pin = new Pin(file, handle, layout);
      const header = { pid: process.pid, kind, startedAt: new Date().toISOString() };
      await handle.write(`${JSON.stringify(header)}\n`);
      return pin;
    } catch (error) {
      throw storeError(error);
    }
  }

  /** Records that these objects are needed, then waits out a running gc (see above). */
  async add(hashes: readonly string[], signal?: AbortSignal): Promise<void> {
    if (hashes.length === 0) return;
    try {
      await this.handle.write(hashes.map((h) => `${h}\n`).join(''));
    } catch (error) {
      throw storeError(error);
    }
    await waitForGcIdle(this.layout, signal);
  }

  async release(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.file, { force: true });
  }
}

/** The hashes pinned by live operations; stale pin files (their process is gone) are removed. */
export async function livePins(layout: StoreLayout): Promise<Set<string>> {
  const hashes = new Set<string>();
  const names = await fs.readdir(layout.pending).catch((error: unknown) => {
    if (isMissing(error)) return [] as string[];
    throw error;
  });
  for (const name of names) {
    const file = path.join(layout.pending, name);
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    const [header, ...lines] = text.split('\n');
    const pid = pinPid(header ?? '', name);
    if (pid !== undefined && !pidAlive(pid)) {
      await fs.rm(file, { force: true });
      continue;
    }
    // A live pin, or one too new to have its header yet: everything it names is needed.
    for (const line of lines) if (/^[0-9a-f]{64}$/.test(line)) hashes.add(line);
  }
  return hashes;
}

function pinPid(header: string, name: string): number | undefined {
  try {
    const pid = (JSON.parse(header) as { pid?: unknown }).pid;
    if (typeof pid === 'number') return pid;
  } catch {
    // A header cut short by a kill: the pid is also in the file name.
  }
  const fromName = /-(\d+)\.log$/.exec(name)?.[1];
  return fromName === undefined ? undefined : Number(fromName);
}

/** Runs `work` holding gc.lock; waits while another live process holds it. */
export async function withGcLock<T>(layout: StoreLayout, work: () => Promise<T>): Promise<T> {
  const temp = tempName(layout.tmp);
  await fs.writeFile(temp, String(process.pid)).catch((error: unknown) => {
    throw storeError(error);
  });
  try {
    for (;;) {
      try {
        // link() fails if the lock exists: taking it and writing the pid are one step.
        await fs.link(temp, layout.gcLock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storeError(error);
        const holder = await lockHolder(layout);
        if (holder !== undefined && holder !== process.pid && !pidAlive(holder)) {
          await fs.rm(layout.gcLock, { force: true });
        } else {
          await sleep(25);
        }
      }
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
  try {
    return await work();
  } finally {
    await fs.rm(layout.gcLock, { force: true });
  }
}

/** Resolves once no live process holds gc.lock. */
export async function waitForGcIdle(layout: StoreLayout, signal?: AbortSignal): Promise<void> {
  for (;;) {
    if (signal?.aborted) throw new AppError('cancelled', 'Cancelled');
    const holder = await lockHolder(layout);
    if (holder === undefined || !pidAlive(holder)) return;
    await sleep(25);
  }
}

async function lockHolder(layout: StoreLayout): Promise<number | undefined> {
  try {
    const pid = Number((await fs.readFile(layout.gcLock, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
