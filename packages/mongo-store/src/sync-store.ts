/**
 * MongoSyncStore: the sync ports of `@odoo-sync/core` (records, sync logs, leases, settings)
 * on MongoDB — for an embedder who only syncs — and the connection it shares with
 * `MongoStore`, which adds the identity and activity ports.
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
import { ENTITY_NAMES } from '@odoo-sync/core';
import type { MongoCollectionName } from './collections.js';
import { MONGO_COLLECTIONS } from './collections.js';
import { MongoConnection } from './connection.js';
import { MongoLeases } from './leases.js';
import type { MongoStoreOptions } from './options.js';
import { resolveMongoStoreOptions } from './options.js';
import { MongoRecords } from './records.js';
import { MongoSettings } from './settings.js';
import { MongoSyncLogs } from './sync-logs.js';

/** The collections of the sync ports, entity collections first. */
const SYNC_COLLECTIONS: readonly MongoCollectionName[] = [
  ...ENTITY_NAMES,
  MONGO_COLLECTIONS.syncLogs,
  MONGO_COLLECTIONS.syncCursors,
  MONGO_COLLECTIONS.settings,
  MONGO_COLLECTIONS.locks,
];

/** The connection of each store, for the port files a subclass adds on the same database. */
const connections = new WeakMap<MongoSyncStore, MongoConnection>();

/** The connection `store` was made with (shared by every port of the store). */
export function connectionOf(store: MongoSyncStore): MongoConnection {
  const connection = connections.get(store);
  if (!connection) throw new TypeError('Not a MongoSyncStore.');
  return connection;
}

/**
 * The sync ports of `@odoo-sync/core` — records, sync logs, leases and settings, what the
 * `Reconciler` and the `SyncScheduler` need — on MongoDB (6.0 or later): records in one
 * collection per entity, plus `sync_logs`, `sync_cursors`, `settings` and `locks`.
 * {@link @odoo-sync/mongo-store!MongoStore | MongoStore} is this plus the identity and activity
 * ports; use this class when you only sync. Same options, documents, indexes and errors as
 * `MongoStore`.
 *
 * Connects on first use (once); creates each collection's indexes the first time the
 * collection is used (idempotent; {@link MongoSyncStore.ensureIndexes} does all of them up
 * front). Driver failures are thrown as `StoreError` with the driver's error as `cause`.
 *
 * @example
 * ```ts
 * import { MongoSyncStore } from '@odoo-sync/mongo-store';
 * import { Reconciler } from '@odoo-sync/core';
 *
 * const store = new MongoSyncStore({ url: process.env.MONGODB_URI! });
 * const reconciler = new Reconciler({ source, store });
 * await reconciler.run({ mode: 'full' });
 * await store.close();
 * ```
 */
export class MongoSyncStore implements SyncPorts, StoreLifecycle {
  readonly #connection: MongoConnection;
  readonly #records: MongoRecords;
  readonly #syncLogs: MongoSyncLogs;
  readonly #leases: MongoLeases;
  readonly #settings: MongoSettings;

  /**
   * Validates the options (a `TypeError` names a wrong one; a connection string the driver
   * cannot parse is a `ConfigError`). Does not connect.
   */
  constructor(options: MongoStoreOptions) {
    this.#connection = new MongoConnection(resolveMongoStoreOptions(options));
    connections.set(this, this.#connection);
    this.#records = new MongoRecords(this.#connection);
    this.#syncLogs = new MongoSyncLogs(this.#connection);
    this.#leases = new MongoLeases(this.#connection);
    this.#settings = new MongoSettings(this.#connection);
  }

  /** Name of the database the store uses. */
  get dbName(): string {
    return this.#connection.dbName;
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /**
   * Creates the indexes of every collection the store uses now instead of on first use (e.g.
   * at server start). Idempotent; resolves when all exist.
   */
  async ensureIndexes(): Promise<void> {
    const custom = [...this.#connection.definitions.keys()].filter((name) => !SYNC_COLLECTIONS.includes(name));
    await this.#connection.ensureIndexes([...SYNC_COLLECTIONS, ...custom]);
  }

  /** Resolves when MongoDB answers a `ping`; throws `StoreError` otherwise. */
  async ping(): Promise<void> {
    await this.#connection.ping();
  }

  /** Closes the client when the store created it (never an injected one). Safe to call twice. */
  async close(): Promise<void> {
    await this.#connection.close();
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
