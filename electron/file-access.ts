/**
 * Which files the window may have Strata read or write. The renderer is sandboxed because a page
 * that shows data from anywhere can be subverted by it; a page that could name any path would
 * then read `~/.ssh/id_ed25519` through a CSV preview, or overwrite `~/.bashrc` with an export.
 * So in the app a path must come from the person: chosen in a native file dialog, dropped on the
 * window (the preload reports the dropped file's path, which a page cannot forge), or — typed into
 * a field — confirmed by them in a native dialog the page cannot answer.
 *
 * The CLI and the web host have no such boundary (whoever drives them is the person, holding the
 * token): they pass no FileAccess, and every path is allowed.
 */
import path from 'node:path';
import { AppError } from '../shared/errors.js';

export type FileMode = 'read' | 'write';

export interface FileAccess {
  /** Resolves when the person chose `file` for `mode`; throws a permission error otherwise. */
  allow(file: string, mode: FileMode): Promise<void>;
}

/** Asks the person (outside the page) whether the window may use a path they typed. */
export type ConfirmFileAccess = (file: string, mode: FileMode) => Promise<boolean>;

export class FileGrants implements FileAccess {
  private readonly granted = new Map<string, Set<FileMode>>();

  constructor(private readonly confirm: ConfirmFileAccess) {}

  /** The person chose `file` (a dialog, a drop): the window may use it for `mode`. */
  grant(file: string, mode: FileMode): void {
    const key = path.resolve(file);
    const modes = this.granted.get(key) ?? new Set<FileMode>();
    modes.add(mode);
    this.granted.set(key, modes);
  }

  async allow(file: string, mode: FileMode): Promise<void> {
    const key = path.resolve(file);
    if (this.granted.get(key)?.has(mode)) return;
    if (await this.confirm(key, mode)) {
      this.grant(key, mode);
      return;
    }
    throw new AppError(
      'permission-denied',
      `Strata was not allowed to ${mode === 'read' ? 'read' : 'write'} ${key}`,
      mode === 'read'
        ? 'Choose the file with Browse…, or drop it on the window.'
        : 'Choose where to save with Browse….',
    );
  }
}
