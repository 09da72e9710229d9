/**
 * The database file is private to the account that runs the store: it holds users, sessions
 * and encrypted token caches. SQLite creates new files with mode 0644 (readable by every local
 * account), and gives the `-wal` and `-shm` files it creates next to the database the
 * database file's own mode, so creating the database file 0600 first makes all three 0600.
 * @module
 */
import { closeSync, openSync, statSync } from 'node:fs';

/** Mode of a database file created by the store: read and write for its owner only. */
export const PRIVATE_FILE_MODE = 0o600;

/** What {@link preparePrivateFile} found. */
export type PrivateFileOutcome =
  /** The file was created, empty, with mode 0600 (SQLite reads an empty file as an empty database). */
  | { kind: 'created' }
  /** The file was there already; `mode` is its permission bits, left as they are. */
  | { kind: 'existing'; mode: number }
  /** Nothing to do: an in-memory database, or a path that cannot be created here (SQLite reports why when it opens it). */
  | { kind: 'skipped' };

/**
 * Creates the database file with mode 0600 unless it exists. Never throws: when the file cannot
 * be created (missing directory, no rights), SQLite's own open fails next with the real reason.
 */
export function preparePrivateFile(path: string): PrivateFileOutcome {
  if (path === ':memory:' || path.startsWith('file:')) return { kind: 'skipped' };
  try {
    // 'wx': create, fail if it exists — never truncates an existing database.
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
    return { kind: 'created' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return { kind: 'skipped' };
  }
  try {
    return { kind: 'existing', mode: statSync(path).mode & 0o777 };
  } catch {
    return { kind: 'skipped' };
  }
}

/** True when accounts other than the owner may read or write a file of this mode. */
export function isSharedMode(mode: number): boolean {
  return (mode & 0o077) !== 0;
}
