/**
 * Sync ports: records, sync logs, settings and leases — what the Reconciler and the SyncScheduler need from a store.
 * @module
 */
import type { EntityName } from '../entities/entities.js';
import type { Page, RecordWrite, StoredState, SyncedRecord, SyncLogEntry, SyncStatus } from '../model.js';
import type { JsonValue } from './json.js';

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

/**
 * Equality filters on the normalised data, by dotted path (`userId.id`, `state`). A path is
 * identifiers (`[A-Za-z_][A-Za-z0-9_]*`) joined by dots; any other path is rejected with
 * {@link @odoo-sync/core/errors!InputError | InputError}. `null` matches a missing or null value.
 */
export type RecordWhere = Readonly<Record<string, string | number | boolean | null>>;

/** A query of synced records. Results are ordered by `odooId` ascending. */
export interface RecordQuery {
  /**
   * Include archived and deleted records.
   * @default false
   */
  includeInactive?: boolean;
  /** Every condition must hold: the value at the dotted path equals the given value. */
  where?: RecordWhere;
  /** Case-insensitive substring search: matches when any of `keys` (top-level data keys) contains `text`. */
  search?: { text: string; keys: readonly string[] };
  /**
   * Page size, 1–1000.
   * @default 50
   */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

/** Counts of an entity's stored records by state. */
export interface RecordCounts {
  /** Active records. */
  active: number;
  /** Archived in Odoo. */
  archived: number;
  /** Deleted in Odoo (or gone from the entity's domain). */
  deleted: number;
}

/**
 * Holds synced records, one envelope per (entity, odooId), plus each entity's sync cursor.
 */
export interface RecordStore {
  /** Stored state of those ids that are stored (any state); absent ids are not in the map. */
  getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>>;
  /**
   * Inserts or replaces each record. On insert `firstSyncedAt = at`; always `lastSyncedAt = at`,
   * `deletedAt = null`. Idempotent: writing the same batch twice leaves the same state.
   * MUST NOT change any record not in `writes`. Applies all or nothing where the store can.
   */
  upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void>;
  /**
   * Marks these ids `isActive: false, inactiveReason: 'deleted', deletedAt: at` and leaves their
   * data as it was. Ids not stored or already deleted are ignored (their `deletedAt` is kept).
   * Returns how many records changed.
   */
  markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number>;
  /** Ids of every stored record not marked deleted (active or archived), ascending. */
  listLiveIds(entity: EntityName): Promise<number[]>;
  /** One record, or `null` when it is not stored. */
  getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null>;
  /**
   * A page of records. Throws {@link @odoo-sync/core/errors!InputError | InputError} for a malformed
   * cursor or a limit out of range.
   */
  queryRecords(entity: EntityName, query?: RecordQuery): Promise<Page<SyncedRecord>>;
  /** Counts by state. */
  countRecords(entity: EntityName): Promise<RecordCounts>;
  /** The entity's cursor (an ISO-8601 write date), or `null` before the first sync. */
  getCursor(entity: EntityName): Promise<string | null>;
  /** Saves the entity's cursor; `null` clears it (the next incremental run reads everything). */
  setCursor(entity: EntityName, cursor: string | null): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Sync logs
// ---------------------------------------------------------------------------------------------

/** A query of sync logs. Results are newest first (`startedAt` desc, then `id` desc). */
export interface SyncLogQuery {
  /** Only this entity. */
  entity?: EntityName;
  /** Only this status. */
  status?: SyncStatus;
  /** Only this run. */
  runId?: string;
  /** Only entries that started at or after this time. */
  from?: Date;
  /** Only entries that started before this time. */
  to?: Date;
  /**
   * Page size, 1–1000.
   * @default 50
   */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

/** Holds `sync_logs`: one entry per entity per run. */
export interface SyncLogStore {
  /** Appends an entry. Appending an entry with an id already stored replaces it (idempotent). */
  appendSyncLog(entry: SyncLogEntry): Promise<void>;
  /**
   * A page of entries, newest first. Throws {@link @odoo-sync/core/errors!InputError | InputError} for a
   * malformed cursor.
   */
  listSyncLogs(query?: SyncLogQuery): Promise<Page<SyncLogEntry>>;
  /** The newest entry of the entity (with that status, when given), or `null`. */
  latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null>;
  /** Deletes entries that started before `before`; returns how many. */
  pruneSyncLogs(before: Date): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/** Holds small JSON settings by key (e.g. `sync.intervalMinutes`), shared by every replica. */
export interface SettingsStore {
  /** The value, or `undefined` when never set. Returns a copy: mutating it changes nothing stored. */
  getSetting(key: string): Promise<JsonValue | undefined>;
  /** Sets the value (replaces the previous one). */
  setSetting(key: string, value: JsonValue): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Leases
// ---------------------------------------------------------------------------------------------

/** A lease held by an owner until `expiresAt`. */
export interface Lease {
  /** What is leased, e.g. `sync:contact`. */
  name: string;
  /** Who holds it (a process-unique id). */
  owner: string;
  /** ISO-8601 expiry. */
  expiresAt: string;
}

/**
 * Leases with expiry: one holder at a time across every process sharing the store.
 *
 * Rules: `acquireLease` grants when the lease is free, expired at `now`, or already held by the
 * same owner (then it is extended); otherwise it returns `null`. Two concurrent acquisitions of
 * a free lease MUST NOT both succeed. `renewLease` extends only the current owner's lease.
 * `releaseLease` by a non-owner changes nothing. `takeOverLease` is a compare-and-set: it
 * replaces the holder only when the lease is still held by the expected owner, so of two
 * processes taking over one dead holder's lease at most one succeeds.
 */
export interface LockStore {
  /** Takes the lease for `ttlMs` from `now`, or returns `null` when another owner holds it. */
  acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null>;
  /** Extends the lease to `now + ttlMs` when `owner` still holds it; `null` when it was lost. */
  renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null>;
  /** Releases the lease when `owner` holds it; returns whether it did. Safe to call twice. */
  releaseLease(name: string, owner: string): Promise<boolean>;
  /** The unexpired lease at `now`, or `null`. */
  getLease(name: string, now: Date): Promise<Lease | null>;
  /**
   * Gives the lease to `owner` until `now + ttlMs` when, and only when, it is held by
   * `previousOwner` (expired or not), in one atomic step; `null` when it is not (released, or
   * another owner already took it). For a holder known to be gone (a killed process).
   */
  takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null>;
}

// ---------------------------------------------------------------------------------------------
// What the sync engine needs
// ---------------------------------------------------------------------------------------------

/**
 * What a {@link @odoo-sync/core!Reconciler | Reconciler} needs from a store: its records, its
 * sync logs and its leases. Implement these three ports to sync into your own storage.
 */
export type ReconcilerStore = RecordStore & SyncLogStore & LockStore;

/**
 * The sync ports: everything the {@link @odoo-sync/core!Reconciler | Reconciler} and the
 * {@link @odoo-sync/core!SyncScheduler | SyncScheduler} need (records, sync logs, leases and
 * settings). A store for an embedder who only syncs implements these and nothing else; the
 * sync contract (`runSyncContract` in `@odoo-sync/core/testing`) checks them.
 */
export type SyncPorts = ReconcilerStore & SettingsStore;
