/**
 * Database files open for reading their pages directly (the scan's page walk, the fingerprint),
 * one descriptor per file for the life of the process, and never closed: closing any descriptor
 * of a file drops every POSIX lock this process holds on it
 * (https://www.sqlite.org/howtocorrupt.html#_posix_advisory_locks_canceled_by_a_separate_thread_doing_close_),
 * and the app's other connections to that file — readers, a writer mid-transaction — hold theirs
 * in this same process. A file replaced at the same path gets a new descriptor; the old one stays.
 *
 * Descriptors belong to the process, not the thread: one opened here is read by worker threads.
 */
import { fstatSync, openSync, statSync } from 'node:fs';

const openFiles = new Map<string, { fd: number; ino: number; dev: number }>();

/** A descriptor of the file now at `file`. */
export function databaseFileDescriptor(file: string): number {
  const open = openFiles.get(file);
  const now = statSync(file);
  if (open && open.ino === now.ino && open.dev === now.dev) return open.fd;
  const fd = openSync(file, 'r');
  const stat = fstatSync(fd);
  openFiles.set(file, { fd, ino: stat.ino, dev: stat.dev });
  return fd;
}

/** Whether `fd` is still the file at `file` (not replaced since it was opened). */
export function isFileAt(fd: number, file: string): boolean {
  try {
    const [open, now] = [fstatSync(fd), statSync(file)];
    return open.ino === now.ino && open.dev === now.dev;
  } catch {
    return false;
  }
}
