/**
 * Options of {@link SqliteStore}, validated up front.
 * @module
 */
import type { Logger } from '@odoo-sync/core';
import { type EntityDefinition, entityRegistry } from '@odoo-sync/core/entities';
import { silentLogger } from '@odoo-sync/core';

/**
 * How hard SQLite pushes each commit to disk (`PRAGMA synchronous`), in WAL mode:
 *
 * - `'normal'`: a commit is in the WAL file (the OS page cache) when the call returns, so it
 *   survives the process being killed or crashing. After a power loss or OS crash the last
 *   commits since the previous checkpoint may be rolled back; the database stays consistent.
 *   The re-sync after such a rollback rewrites them, since the cursor rolls back with them.
 * - `'full'`: the WAL is fsynced on every commit, so commits also survive power loss, at the
 *   cost of one fsync per write call.
 */
export type SqliteSynchronous = 'normal' | 'full';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * Path of the database file (created when missing; its directory must exist), or
   * `':memory:'` for a private in-memory database (tests only: nothing is kept, and no other
   * connection can share it).
   */
  path: string;
  /**
   * Commit durability; see {@link SqliteSynchronous}.
   * @default 'normal'
   */
  synchronous?: SqliteSynchronous;
  /**
   * How long a call waits for another connection's write lock before failing with a
   * retryable `store_error` (`SQLITE_BUSY`). The wait blocks the event loop (better-sqlite3 is
   * synchronous), so keep it short; writes hold the lock for milliseconds.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * After how many pages (4 KiB each) in the WAL file SQLite copies them back into the database
   * file (`PRAGMA wal_autocheckpoint`). Larger means fewer copies of pages written again and
   * again (a full sync, many activities) and a larger `-wal` file between checkpoints; with
   * `synchronous: 'normal'` the WAL is fsynced at each checkpoint, so after a power loss the
   * commits since the last checkpoint may be rolled back (see the package README's Durability).
   * 1–1 000 000; SQLite's own default is 1000.
   * @default 10000 (about 40 MB of WAL)
   */
  walAutocheckpointPages?: number;
  /**
   * Write large batches of synced records (a sync's pages) on a worker thread with a second
   * connection to the same file, so the event loop keeps reading from Odoo and answering
   * requests while SQLite writes. The thread starts with the first such batch and stops after
   * two idle seconds. Commits and their durability are the same either way; only where the
   * work runs changes. Ignored for `':memory:'` (no second connection can share it).
   * @default true
   */
  writeThread?: boolean;
  /**
   * Logger for schema migrations.
   * @default silentLogger
   */
  logger?: Logger;
  /**
   * Definitions of the entities whose declared indexes (`defineEntity({ indexes })`) the store
   * keeps: each becomes a partial expression index on the records table, created when the
   * store opens if missing. Records of any entity can be stored either way.
   * @default [] (the built-in entities' queries use the indexes every store has)
   */
  entities?: readonly EntityDefinition[];
}

/** {@link SqliteStoreOptions.walAutocheckpointPages}' default: ten times SQLite's. */
export const DEFAULT_WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** Options with every default applied. */
export interface ResolvedSqliteStoreOptions {
  /** {@link SqliteStoreOptions.path}. */
  path: string;
  /** {@link SqliteStoreOptions.synchronous}. */
  synchronous: SqliteSynchronous;
  /** {@link SqliteStoreOptions.busyTimeoutMs}. */
  busyTimeoutMs: number;
  /** {@link SqliteStoreOptions.walAutocheckpointPages}. */
  walAutocheckpointPages: number;
  /** {@link SqliteStoreOptions.writeThread}: false for `':memory:'`. */
  writeThread: boolean;
  /** {@link SqliteStoreOptions.logger}. */
  logger: Logger;
  /** {@link SqliteStoreOptions.entities}, checked. */
  entities: readonly EntityDefinition[];
}

/** Validates options and applies defaults. Throws a precise `TypeError` for a wrong option. */
export function resolveSqliteStoreOptions(input: string | SqliteStoreOptions): ResolvedSqliteStoreOptions {
  const options: SqliteStoreOptions = typeof input === 'string' ? { path: input } : input;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`SqliteStore options must be a path or an object, received ${String(options)}.`);
  }
  if (typeof options.path !== 'string' || options.path.trim() === '') {
    throw new TypeError('SqliteStore option "path" must be a non-empty string (a file path or ":memory:").');
  }
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new TypeError(`SqliteStore option "synchronous" must be "normal" or "full", received ${JSON.stringify(synchronous)}.`);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > 2_147_483_647) {
    throw new TypeError(`SqliteStore option "busyTimeoutMs" must be a non-negative integer, received ${String(busyTimeoutMs)}.`);
  }
  const walAutocheckpointPages = options.walAutocheckpointPages ?? DEFAULT_WAL_AUTOCHECKPOINT_PAGES;
  if (!Number.isInteger(walAutocheckpointPages) || walAutocheckpointPages < 1 || walAutocheckpointPages > 1_000_000) {
    throw new TypeError(`SqliteStore option "walAutocheckpointPages" must be an integer from 1 to 1000000, received ${String(walAutocheckpointPages)}.`);
  }
  const writeThread = options.writeThread ?? true;
  if (typeof writeThread !== 'boolean') {
    throw new TypeError(`SqliteStore option "writeThread" must be a boolean, received ${JSON.stringify(writeThread)}.`);
  }
  // Throws EntityDefinitionError for duplicate names, bad paths or unknown references.
  const entities = options.entities === undefined ? [] : entityRegistry(options.entities).definitions;
  return { path: options.path, synchronous, busyTimeoutMs, walAutocheckpointPages, writeThread: writeThread && options.path !== ':memory:', logger: options.logger ?? silentLogger, entities };
}
