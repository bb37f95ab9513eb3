/**
 * The versioning commands: `snapshot`, `versions`, `restore`, `verify`, `gc`, `export`,
 * `import`, `delete-snapshot` and `storage` — the same contract channels as the window. Snapshots
 * and restores are jobs: progress on stderr (redrawn on a terminal, a line per quarter in a log),
 * Ctrl-C cancels (nothing is kept). Exit status: 0 done, 1 failed (verify: problems found), 2 usage.
 */
import { formatDatasetPath } from '../../shared/dataset-ref.js';
import { AppError } from '../../shared/errors.js';
import type { JobProgress } from '../../shared/model.js';
import type { VersionsJobStatus } from '../../shared/versions.js';
import type { Host } from '../host.js';
import {
  datasetRef,
  grouped,
  oneLine,
  resolveRef,
  UsageError,
  write,
  type Command,
} from './common.js';
import { table } from './table.js';
import { bytes, when } from './versions-format.js';

const json = { json: { type: 'boolean' } } as const;

const snapshotCommand: Command = {
  usage: `Usage: strata snapshot CONNECTION#DATASET [-m MESSAGE] [--key COL,…] [--json]

Takes a snapshot of the dataset into Strata's versions store: its rows in key order, cut into
chunks stored once, compressed, named by their hash. Unchanged chunks are not stored again.

  -m, --message MSG   what this snapshot is
  --key COL,…         order rows by these columns (default: the dataset's key; without one, all
                      columns, which is said)
  --json              print the snapshot's details as JSON on stdout`,
  options: { message: { type: 'string', short: 'm' }, key: { type: 'string' }, ...json },
  arity: [1, 1],
  run: async (host, [refText], values) => {
    const ref = datasetRef(host, refText!);
    const key = typeof values.key === 'string' ? list(values.key) : undefined;
    if (key && key.length === 0) throw new UsageError('snapshot: --key names no column');
    const message = typeof values.message === 'string' ? values.message : undefined;
    const { jobId } = await host.call('createSnapshot', {
      ref,
      ...(message !== undefined ? { message } : {}),
      ...(key ? { key } : {}),
    });
    const status = await follow(host, jobId);
    const s = status.snapshot!;
    if (values.json) await write(`${JSON.stringify(s, null, 2)}\n`);
    else {
      await write(
        `${s.id}  ${grouped(s.rows)} rows in ${s.chunks} chunks, ${bytes(s.canonicalBytes)} of rows, ` +
          `${bytes(s.storedBytes)} stored, ${bytes(s.newBytes)} new (${s.newChunks} new chunks), ` +
          `${((status.ms ?? 0) / 1000).toFixed(1)} s\n`,
      );
    }
    if (s.keyNote) say(`note: ${s.keyNote}`);
    if (s.lossy) say(`warning: ${s.lossy.cells} values were kept cut short: ${s.lossy.note}`);
  },
};

const versionsCommand: Command = {
  usage: `Usage: strata versions [CONNECTION[#DATASET]] [--json]

The snapshots in the versions store, oldest first: of every dataset, of one connection's, or of
one dataset. SIZE is what the snapshot's chunks take stored; NEW what it added to the store.`,
  options: { ...json },
  arity: [0, 1],
  run: async (host, [refText], values) => {
    let filter = {};
    if (refText !== undefined) {
      const { connection, dataset } = resolveRef(host, refText);
      filter = { connectionId: connection.id, ...(dataset ? { path: dataset } : {}) };
    }
    const snapshots = await host.call('listSnapshots', filter);
    if (values.json) return write(`${JSON.stringify(snapshots, null, 2)}\n`);
    if (snapshots.length === 0) return write('No snapshots. Take one: strata snapshot REF\n');
    const rows = snapshots.map((s) => [
      s.id,
      when(s.createdAt),
      s.dataset.ref,
      grouped(s.rows),
      bytes(s.storedBytes),
      bytes(s.newBytes),
      oneLine(s.message),
    ]);
    const header = ['ID', 'CREATED', 'DATASET', 'ROWS', 'SIZE', 'NEW', 'MESSAGE'];
    // Message-like columns are cut at 60 characters.
    await write(table(header, rows, [false, false, false, true, true, true, false], 60));
  },
};

const restoreCommand: Command = {
  usage: `Usage: strata restore SNAPSHOT CONNECTION#DATASET [--mode create|replace]

Writes the snapshot's rows into a dataset of any writable store, in one atomic step (like an
upload): --mode create (default) makes a new dataset; replace swaps an existing one's rows.
SNAPSHOT is an id from \`strata versions\`, or a unique beginning of one.`,
  options: { mode: { type: 'string' } },
  arity: [2, 2],
  run: async (host, [snapshotId, refText], values) => {
    const mode = typeof values.mode === 'string' ? values.mode : 'create';
    if (mode !== 'create' && mode !== 'replace') {
      throw new UsageError(`restore: --mode is create or replace, not “${mode}”`);
    }
    const target = datasetRef(host, refText!);
    const { jobId } = await host.call('restoreSnapshot', { snapshotId: snapshotId!, target, mode });
    const status = await follow(host, jobId);
    await write(
      `restored ${status.snapshot!.id} into ${formatDatasetPath(target.path)}: ` +
        `${grouped(status.rowsWritten ?? 0)} rows in ${((status.ms ?? 0) / 1000).toFixed(1)} s\n`,
    );
  },
};

const verifyCommand: Command = {
  usage: `Usage: strata verify [--json]

Re-hashes every object of the versions store and checks every snapshot's manifest. A missing or
corrupted object is named with the snapshots that need it. Exit status 1 when anything is wrong.`,
  options: { ...json },
  arity: [0, 0],
  run: async (host, _positionals, values) => {
    const report = await host.call('verifyStore', {});
    if (values.json) await write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const p of report.problems) {
        const needed = p.snapshots.length ? ` — needed by ${p.snapshots.join(', ')}` : '';
        await write(`${p.kind} ${p.subject}: ${oneLine(p.detail)}${needed}\n`);
      }
      const verdict = report.ok ? 'ok' : `${report.problems.length} problems`;
      await write(
        `${verdict}: ${grouped(report.objects)} objects (${bytes(report.bytesChecked)}) and ${grouped(report.snapshots)} snapshots checked\n`,
      );
    }
    return report.ok ? 0 : 1;
  },
};

const gcCommand: Command = {
  usage: `Usage: strata gc

Removes the objects no snapshot uses (after delete-snapshot), and leftovers of killed writes.
Safe while a snapshot is being taken.`,
  options: {},
  arity: [0, 0],
  run: async (host) => {
    const r = await host.call('collectGarbage', {});
    await write(
      `freed ${bytes(r.bytesFreed)}: ${grouped(r.objectsRemoved)} objects removed, ${grouped(r.objectsKept)} kept` +
        `${r.basesKept ? ` (${grouped(r.basesKept)} only as bases of newer snapshots' deltas)` : ''}` +
        `${r.leftoversRemoved ? `, ${r.leftoversRemoved} leftover files removed` : ''}\n`,
    );
  },
};

const deleteCommand: Command = {
  usage: `Usage: strata delete-snapshot SNAPSHOT

Deletes a snapshot, then collects the chunks nothing else uses (as \`strata gc\`).`,
  options: {},
  arity: [1, 1],
  run: async (host, [snapshotId]) => {
    const { deleted } = await host.call('deleteSnapshot', { snapshotId: snapshotId! });
    const r = await host.call('collectGarbage', {});
    await write(`deleted ${deleted}; freed ${bytes(r.bytesFreed)}\n`);
  },
};

const exportCommand: Command = {
  usage: `Usage: strata export SNAPSHOT FILE

Writes the snapshot — manifest and every chunk — to one file, for \`strata import\` elsewhere.`,
  options: {},
  arity: [2, 2],
  run: async (host, [snapshotId, file]) => {
    const r = await host.call('exportSnapshot', { snapshotId: snapshotId!, file: file! });
    await write(`exported ${r.snapshotId} to ${r.file}: ${bytes(r.bytes)}, ${r.objects} objects\n`);
  },
};

const importCommand: Command = {
  usage: `Usage: strata import FILE

Adds a snapshot exported by \`strata export\`; every object is checked against its hash first.`,
  options: {},
  arity: [1, 1],
  run: async (host, [file]) => {
    const r = await host.call('importSnapshot', { file: file! });
    await write(
      r.alreadyPresent
        ? `${r.snapshot.id} is already in the store\n`
        : `imported ${r.snapshot.id} (${r.snapshot.dataset.ref}, ${grouped(r.snapshot.rows)} rows): ${r.newObjects} new objects\n`,
    );
  },
};

const storageCommand: Command = {
  usage: `Usage: strata storage [--json]

What the versions store takes on disk: per dataset (all its snapshots; EXCLUSIVE is what only it
uses, freed if its snapshots were deleted) and in total.`,
  options: { ...json },
  arity: [0, 0],
  run: async (host, _positionals, values) => {
    const use = await host.call('storageUse', {});
    if (values.json) return write(`${JSON.stringify(use, null, 2)}\n`);
    const rows = use.datasets.map((d) => [
      d.dataset.ref,
      grouped(d.snapshots),
      bytes(d.bytes),
      bytes(d.exclusiveBytes),
    ]);
    if (rows.length) {
      await write(
        table(['DATASET', 'SNAPSHOTS', 'SIZE', 'EXCLUSIVE'], rows, [false, true, true, true], 60),
      );
    }
    await write(
      `total: ${bytes(use.objectBytes)} in ${grouped(use.objects)} objects` +
        `${use.garbageBytes ? ` (${bytes(use.garbageBytes)} unused: strata gc frees it)` : ''}, ` +
        `${bytes(use.manifestBytes)} of manifests\n`,
    );
  },
};

export const versionsCommands: Record<string, Command> = {
  snapshot: snapshotCommand,
  versions: versionsCommand,
  restore: restoreCommand,
  verify: verifyCommand,
  gc: gcCommand,
  'delete-snapshot': deleteCommand,
  export: exportCommand,
  import: importCommand,
  storage: storageCommand,
};

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function say(line: string): void {
  process.stderr.write(`strata: ${line}\n`);
}

/** Shows a job's progress until it ends; Ctrl-C cancels it. Fails (exit 1) unless it is done. */
async function follow(host: Host, jobId: string): Promise<VersionsJobStatus> {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let shown = -1;
  const unsubscribe = host.subscribe((event, payload) => {
    const p = payload as JobProgress;
    if (event !== 'jobProgress' || p.jobId !== jobId || p.state !== 'running' || !p.total) return;
    const percent = Math.floor((p.done / p.total) * 100);
    const step = tty ? percent : Math.floor(percent / 25) * 25;
    if (step === shown || percent === 100 || Date.now() - started < 500) return;
    shown = step;
    const line = `strata: ${p.label.toLowerCase()}… ${percent}% (${grouped(p.done)} of ${grouped(p.total)} ${p.unit})`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  });
  const cancel = () => void host.call('cancelJob', { jobId });
  process.once('SIGINT', cancel);
  try {
    const status = await host.call('getVersionsJob', { jobId, wait: true });
    if (status.state !== 'done') {
      throw status.error ? AppError.from(status.error) : new AppError('cancelled', 'Cancelled');
    }
    return status;
  } finally {
    process.off('SIGINT', cancel);
    unsubscribe();
    if (tty && shown >= 0) process.stderr.write('\r\x1b[K');
  }
}
