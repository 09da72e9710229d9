/**
 * Turning better-sqlite3 failures into core's typed errors.
 * @module
 */
import { isOdooSyncError, StoreError } from '@odoo-sync/core/errors';

/**
 * SQLite result codes (better-sqlite3's `SqliteError.code`, extended codes included by prefix)
 * after which the same call may succeed later: another process holds the write lock past the
 * busy timeout, an I/O hiccup, a full disk that gets space again.
 */
const TRANSIENT_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_PROTOCOL', 'SQLITE_INTERRUPT'];

/** The SQLite result code of a better-sqlite3 error (`SQLITE_BUSY`, …), or `undefined`. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** True when a better-sqlite3 error is worth retrying. */
export function isTransientSqliteError(err: unknown): boolean {
  const code = sqliteCode(err);
  return code !== undefined && TRANSIENT_CODES.some((prefix) => code.startsWith(prefix));
}

/**
 * Wraps anything a driver call threw in a {@link StoreError} (the original as `cause`);
 * odoo-sync's own errors pass through unchanged. The message names the operation and SQLite's
 * result code and SQLite's
 * message, never bound values.
 */
export function toStoreError(operation: string, err: unknown): Error {
  if (isOdooSyncError(err)) return err;
  const code = sqliteCode(err);
  // SQLite's own messages name tables and constraints, never the values bound to a statement.
  const detail = err instanceof Error ? err.message : String(err);
  return new StoreError(`SQLite ${operation} failed${code ? ` (${code})` : ''}: ${detail}`, {
    cause: err,
    retryable: isTransientSqliteError(err),
    ...(code?.startsWith('SQLITE_BUSY')
      ? { hint: 'Another process held the database write lock longer than busyTimeoutMs; retry, or raise busyTimeoutMs.' }
      : {}),
  });
}
