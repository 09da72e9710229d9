/**
 * SqliteSyncStore: the sync ports of `@odoo-sync/core` (records, sync logs, leases, settings)
 * on one SQLite file — for an embedder who only syncs — and the connection it shares with
 * `SqliteStore`, which adds the identity and activity ports.
 * @module
 */
import type {
  EntityName,
  JsonValue,
  RecordQuery,
  StoreLifecycle,
  SyncedRecord,
  SyncLogEntry,
  SyncPorts,
} from '@odoo-sync/core';
import type {
  Lease,
  Page,
  RecordCounts,
  RecordWrite,
  StoredState,
  SyncLogQuery,
  SyncStatus,
} from '@odoo-sync/core/store-kit';
import { SqliteConnection } from './connection.js';
import { SqliteLeases } from './leases.js';
import type { SqliteStoreOptions, SqliteSynchronous } from './options.js';
import { resolveSqliteStoreOptions } from './options.js';
import { SqliteRecords } from './records.js';
import { SqliteSettings } from './settings.js';
import { SqliteSyncLogs } from './sync-logs.js';

/** The connection of each store, for the port files a subclass adds on the same file. */
const connections = new WeakMap<SqliteSyncStore, SqliteConnection>();

/** The connection `store` was opened with (shared by every port of the store). */
export function connectionOf(store: SqliteSyncStore): SqliteConnection {
  const connection = connections.get(store);
  if (!connection) throw new TypeError('Not an open SqliteSyncStore.');
  return connection;
}

/**
 * The sync ports of `@odoo-sync/core` — records, sync logs, leases and settings, what the
 * `Reconciler` and the `SyncScheduler` need — on one SQLite file, through better-sqlite3.
 * {@link @odoo-sync/sqlite-store!SqliteStore | SqliteStore} is this plus the identity and activity ports; use this class when you
 * only sync. Same file format, options, durability and errors as `SqliteStore`.
 *
 * - The database is opened, configured (WAL, `synchronous`, `busy_timeout`, foreign keys) and
 *   migrated in the constructor, so a bad path or a database from a newer version fails at
 *   startup with a `StoreError`, not on the first request.
 * - better-sqlite3 is synchronous: each method does its work in one go and returns a settled
 *   promise. Writes that touch several rows run in one `IMMEDIATE` transaction (all or
 *   nothing); no transaction is ever held across an `await`.
 * - Every driver failure is a `StoreError` with the driver's error as `cause` (`retryable` for
 *   `SQLITE_BUSY`, I/O errors and a full disk). After {@link SqliteSyncStore.close} every
 *   method rejects with a `StoreError`.
 * - Several stores (in one or many processes) may share a file: leases are exclusive across
 *   all of them.
 *
 * @example
 * ```ts
 * import { Reconciler } from '@odoo-sync/core';
 * import { SqliteSyncStore } from '@odoo-sync/sqlite-store';
 *
 * const store = SqliteSyncStore.open('./data/odoo-sync.db');
 * const reconciler = new Reconciler({ source, store });
 * await reconciler.run({ mode: 'full' });
 * console.log(await store.countRecords('contact'));
 * await store.close();
 * ```
 */
export class SqliteSyncStore implements SyncPorts, StoreLifecycle {
  /** Path of the database file (or `':memory:'`). */
  readonly path: string;
  /** The durability level in use. */
  readonly synchronous: SqliteSynchronous;
  readonly #connection: SqliteConnection;
  readonly #records: SqliteRecords;
  readonly #syncLogs: SqliteSyncLogs;
  readonly #leases: SqliteLeases;
  readonly #settings: SqliteSettings;

  /**
   * Opens (creating when missing) and migrates the database. Throws a `TypeError` for invalid
   * options and a `StoreError` when the file cannot be opened, is not a SQLite database, or
   * was written by a newer version of this package.
   */
  constructor(options: string | SqliteStoreOptions) {
    const resolved = resolveSqliteStoreOptions(options);
    this.path = resolved.path;
    this.synchronous = resolved.synchronous;
    this.#connection = new SqliteConnection(resolved);
    connections.set(this, this.#connection);
    this.#records = new SqliteRecords(this.#connection);
    this.#syncLogs = new SqliteSyncLogs(this.#connection);
    this.#leases = new SqliteLeases(this.#connection);
    this.#settings = new SqliteSettings(this.#connection);
  }

  /**
   * Opens a store: the same as `new SqliteSyncStore(options)`.
   *
   * @example
   * ```ts
   * const store = SqliteSyncStore.open({ path: '/var/lib/odoo-sync/store.db', synchronous: 'full' });
   * ```
   */
  static open(options: string | SqliteStoreOptions): SqliteSyncStore {
    return new SqliteSyncStore(options);
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /** Resolves when the database answers a query. */
  async ping(): Promise<void> {
    this.#connection.ping();
  }

  /**
   * Closes the database: refreshes the query planner's statistics where SQLite finds it useful
   * (`PRAGMA optimize`), then closes the connection, which checkpoints the WAL into the main
   * file when this is the last connection. Safe to call twice.
   */
  async close(): Promise<void> {
    // Writes still running on the write thread commit first; this connection closes last, so
    // it is the one that checkpoints the WAL into the file.
    await this.#connection.closeWriter();
    this.#connection.close();
  }

  /**
   * Writes a consistent copy of the whole database to `destination` (a new file) while the
   * store stays in use, through SQLite's online backup API. The copy is a single file (no WAL).
   */
  async backup(destination: string): Promise<void> {
    await this.#connection.backup(destination);
  }

  // --- RecordStore (records.ts) ----------------------------------------------------------------

  /** @inheritDoc */
  getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>> {
    return this.#records.getStates(entity, ids);
  }

  /** @inheritDoc */
  upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void> {
    return this.#records.upsertRecords(entity, writes, at);
  }

  /** @inheritDoc */
  markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number> {
    return this.#records.markDeleted(entity, ids, at);
  }

  /** @inheritDoc */
  listLiveIds(entity: EntityName): Promise<number[]> {
    return this.#records.listLiveIds(entity);
  }

  /** @inheritDoc */
  getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null> {
    return this.#records.getRecord(entity, odooId);
  }

  /** @inheritDoc */
  queryRecords(entity: EntityName, query?: RecordQuery): Promise<Page<SyncedRecord>> {
    return this.#records.queryRecords(entity, query);
  }

  /** @inheritDoc */
  countRecords(entity: EntityName): Promise<RecordCounts> {
    return this.#records.countRecords(entity);
  }

  /** @inheritDoc */
  getCursor(entity: EntityName): Promise<string | null> {
    return this.#records.getCursor(entity);
  }

  /** @inheritDoc */
  setCursor(entity: EntityName, cursor: string | null): Promise<void> {
    return this.#records.setCursor(entity, cursor);
  }

  // --- SyncLogStore (sync-logs.ts) -------------------------------------------------------------

  /** @inheritDoc */
  appendSyncLog(entry: SyncLogEntry): Promise<void> {
    return this.#syncLogs.appendSyncLog(entry);
  }

  /** @inheritDoc */
  listSyncLogs(query?: SyncLogQuery): Promise<Page<SyncLogEntry>> {
    return this.#syncLogs.listSyncLogs(query);
  }

  /** @inheritDoc */
  latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null> {
    return this.#syncLogs.latestSyncLog(entity, status);
  }

  /** @inheritDoc */
  pruneSyncLogs(before: Date): Promise<number> {
    return this.#syncLogs.pruneSyncLogs(before);
  }

  // --- SettingsStore (settings.ts) -------------------------------------------------------------

  /** @inheritDoc */
  getSetting(key: string): Promise<JsonValue | undefined> {
    return this.#settings.getSetting(key);
  }

  /** @inheritDoc */
  setSetting(key: string, value: JsonValue): Promise<void> {
    return this.#settings.setSetting(key, value);
  }

  // --- LockStore (leases.ts) -------------------------------------------------------------------

  /** @inheritDoc */
  acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#leases.acquireLease(name, owner, ttlMs, now);
  }

  /** @inheritDoc */
  renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#leases.renewLease(name, owner, ttlMs, now);
  }

  /** @inheritDoc */
  releaseLease(name: string, owner: string): Promise<boolean> {
    return this.#leases.releaseLease(name, owner);
  }

  /** @inheritDoc */
  getLease(name: string, now: Date): Promise<Lease | null> {
    return this.#leases.getLease(name, now);
  }

  /** @inheritDoc */
  takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#leases.takeOverLease(name, previousOwner, owner, ttlMs, now);
  }
}
