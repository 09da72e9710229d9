/**
 * Ports: the interfaces adapters implement. Each rule in a method's TSDoc is checked by the
 * contract suite in `@odoo-sync/core/testing`.
 *
 * Every store method that needs the time takes it as an argument (`at`, `now`): stores keep
 * no clock, so tests control time and replicas agree on what was written when.
 * Stores wrap driver failures in {@link @odoo-sync/core/errors!StoreError | StoreError}; `getX` returns
 * `null` for "not found", `updateX` throws {@link @odoo-sync/core/errors!NotFoundError | NotFoundError}.
 * @module
 */
import type { EntityName, OdooDomain, OdooRow } from './entities.js';
import type { Page, RecordWrite, StoredState, SyncedRecord, SyncLogEntry, SyncStatus } from './model.js';

/** A JSON value (what settings, metadata and alert details may hold). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// Source
// ---------------------------------------------------------------------------------------------

/** What to read from Odoo for one entity. Built from an entity spec by {@link sourceQueryOf}. */
export interface SourceQuery {
  /** Entity name (for logs and errors). */
  entity: EntityName;
  /** Odoo model. */
  model: string;
  /** The entity's domain; the reader adds its own paging and date terms. */
  domain: OdooDomain;
  /** Odoo fields to read, always including `write_date` (and `active` where the model has it). */
  fields: readonly string[];
}

/** Options of {@link SourceReader.readChanged}. */
export interface ReadChangedOptions {
  /** Only rows with `write_date >= since`; `null` reads every row. */
  since: Date | null;
  /** Rows per page. */
  pageSize: number;
  /** Aborts the read. */
  signal?: AbortSignal;
}

/** Options of the id sweep and of reads by id. */
export interface ReadIdsOptions {
  /** Ids per page. */
  pageSize: number;
  /** Aborts the read. */
  signal?: AbortSignal;
}

/**
 * Reads an entity's rows from Odoo. Implemented by `OdooSource` in `@odoo-sync/odoo-adapter`.
 *
 * Rules:
 * - Archived rows are included (`active_test: false`); deleted rows simply do not exist.
 * - `readChanged` with `since: null` yields every row of the domain ordered by id; with a date,
 *   the rows with `write_date >= since` ordered by `(write_date, id)`. Pages are at most
 *   `pageSize` rows and are produced lazily, so memory stays bounded.
 * - A model that does not exist throws
 *   {@link @odoo-sync/core/errors!OdooModelNotFoundError | OdooModelNotFoundError}; other failures throw
 *   the matching `Odoo*Error` (transient ones with `retryable: true`).
 */
export interface SourceReader {
  /** Yields pages of rows changed since `since` (or all rows). */
  readChanged(query: SourceQuery, options: ReadChangedOptions): AsyncIterable<OdooRow[]>;
  /** Yields pages of every id in the domain (archived included), ascending. Reads ids only. */
  readAllIds(query: SourceQuery, options: ReadIdsOptions): AsyncIterable<number[]>;
  /**
   * Reads the rows with these ids that exist and match the domain (archived included).
   * An id missing from the answer is deleted in Odoo or outside the entity's domain.
   */
  readByIds(query: SourceQuery, ids: readonly number[], options?: { signal?: AbortSignal }): Promise<OdooRow[]>;
  /**
   * How many rows the domain has, archived included (Odoo's `search_count` with
   * `active_test: false`). Optional: with it, an incremental run skips the id sweep for
   * deletions when the counts show there is nothing to find.
   */
  countAll?(query: SourceQuery, options?: { signal?: AbortSignal }): Promise<number>;
}

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
// Users and API keys
// ---------------------------------------------------------------------------------------------

/** A user's role. */
export type UserRole = 'admin' | 'user';

/** Whether an admin let the user in. Only `approved` users pass authentication. */
export type UserStatus = 'pending' | 'approved' | 'rejected';

/** How a user was linked to Odoo. */
export type LinkStrategy = 'email' | 'name' | 'salesperson' | 'manual';

/** The link between a signed-in person and their Odoo identity. */
export interface OdooLink {
  /** `res.users` id, when known. */
  odooUserId: number | null;
  /** `hr.employee` id, when known. */
  employeeId: number | null;
  /** How the link was made. */
  strategy: LinkStrategy;
  /** ISO-8601 time of linking. */
  linkedAt: string;
  /** Id of the user who made the link (the user themself for self-service). */
  linkedBy: string;
}

/**
 * Who a person is at their sign-in provider: for Microsoft 365 (Entra ID), the directory
 * (tenant) id and the object id (`tid` + `oid` of the id token). Unlike an e-mail address it
 * never changes and cannot be claimed by another account. Stores compare both parts
 * case-insensitively.
 */
export interface UserIdentity {
  /** Directory (tenant) id, e.g. Entra's `tid`. */
  tenantId: string;
  /** The person's object id in that directory, e.g. Entra's `oid`. */
  objectId: string;
}

/** A person who signs in. */
export interface User {
  /** Stable id. */
  id: string;
  /** E-mail address; unique, compared case-insensitively. */
  email: string;
  /** Display name. */
  name: string;
  /** Role. */
  role: UserRole;
  /** Approval status. */
  status: UserStatus;
  /** Link to Odoo, or `null`. */
  odooLink: OdooLink | null;
  /**
   * Other addresses of theirs that the sign-in provider vouches for (Microsoft 365's sign-in
   * name when it is not their e-mail); used to link them to Odoo. `[]` when none.
   */
  otherEmails: string[];
  /** True when their Microsoft 365 session can no longer be refreshed silently. */
  reauthRequired: boolean;
  /**
   * The sign-in identity that is this person, or `null` for a user who never signed in with
   * one (API-key users, users created before identities were recorded). Unique.
   */
  identity: UserIdentity | null;
  /** ISO-8601 creation time. */
  createdAt: string;
  /** ISO-8601 last update time. */
  updatedAt: string;
}

/** Fields given when creating a user. */
export interface NewUser {
  /** Stable id chosen by the caller. */
  id: string;
  /** E-mail address. */
  email: string;
  /** Display name. */
  name: string;
  /** Role. */
  role: UserRole;
  /** Approval status. */
  status: UserStatus;
  /** See {@link User.otherEmails}. @default [] */
  otherEmails?: string[];
  /** See {@link User.identity}. @default null */
  identity?: UserIdentity | null;
}

/** Fields that can change on a user. */
export type UserPatch = Partial<Pick<User, 'email' | 'name' | 'role' | 'status' | 'odooLink' | 'otherEmails' | 'reauthRequired' | 'identity'>>;

/** A query of users, ordered by `createdAt` then `id`. */
export interface UserQuery {
  /** Only this status. */
  status?: UserStatus;
  /** Only this role. */
  role?: UserRole;
  /**
   * Page size, 1–1000.
   * @default 50
   */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

/** An API key record. The key itself is never stored: only its hash. */
export interface ApiKey {
  /** Stable id (safe to show). */
  id: string;
  /** Owner. */
  userId: string;
  /** Hash of the secret key (e.g. SHA-256 hex). */
  keyHash: string;
  /** What it is for. */
  label: string;
  /** ISO-8601 creation time. */
  createdAt: string;
  /** ISO-8601 time of last use, or `null`. */
  lastUsedAt: string | null;
  /** ISO-8601 revocation time, or `null` while valid. */
  revokedAt: string | null;
}

/** Holds users and their API keys. */
export interface UserStore {
  /**
   * Creates a user. Throws {@link @odoo-sync/core/errors!ConflictError | ConflictError} when the id,
   * the e-mail (case-insensitive) or the identity (case-insensitive) exists, and writes nothing.
   */
  createUser(user: NewUser, at: Date): Promise<User>;
  /** The user, or `null`. */
  getUser(id: string): Promise<User | null>;
  /** The user with this e-mail (case-insensitive, surrounding spaces ignored), or `null`. */
  getUserByEmail(email: string): Promise<User | null>;
  /**
   * The user with this identity (tenant id and object id, each compared case-insensitively),
   * or `null`. Never matches a user without an identity.
   */
  getUserByIdentity(identity: UserIdentity): Promise<User | null>;
  /**
   * Applies `patch`, sets `updatedAt = at`. Throws
   * {@link @odoo-sync/core/errors!NotFoundError | NotFoundError};
   * {@link @odoo-sync/core/errors!ConflictError | ConflictError} on an e-mail or identity another
   * user has (nothing is written then).
   */
  updateUser(id: string, patch: UserPatch, at: Date): Promise<User>;
  /** A page of users. */
  listUsers(query?: UserQuery): Promise<Page<User>>;
  /** How many users match. */
  countUsers(query?: Pick<UserQuery, 'status' | 'role'>): Promise<number>;
  /**
   * Stores an API key record. Throws {@link @odoo-sync/core/errors!ConflictError | ConflictError} on a
   * duplicate id or hash.
   */
  createApiKey(key: ApiKey): Promise<ApiKey>;
  /** The unrevoked key with this hash, or `null`. */
  findApiKeyByHash(keyHash: string): Promise<ApiKey | null>;
  /** Every key of a user (revoked included), oldest first. */
  listApiKeys(userId: string): Promise<ApiKey[]>;
  /** Sets `lastUsedAt = at`. Unknown ids are ignored. */
  touchApiKey(id: string, at: Date): Promise<void>;
  /** Sets `revokedAt = at` once; returns whether it was valid before. */
  revokeApiKey(id: string, at: Date): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------------------------

/** Something a user did, recorded for the CRM timeline. */
export interface Activity {
  /** Unique id. */
  id: string;
  /** Kind, e.g. `opportunity.viewed`, `call.logged`. */
  activityType: string;
  /** One-line human description. */
  title: string;
  /** Entity it concerns, e.g. `opportunity`, or `null`. */
  entityType: string | null;
  /** Id of that entity (as a string), or `null`. */
  entityId: string | null;
  /** Who did it, or `null` for the system. */
  userId: string | null;
  /** Their display name at the time. */
  userName: string | null;
  /** Free JSON details. */
  metadata: { [key: string]: JsonValue };
  /** ISO-8601 time it happened. */
  timestamp: string;
}

/** A query of activities, newest first (`timestamp` desc, then `id` desc). */
export interface ActivityQuery {
  /** Only this type. */
  activityType?: string;
  /** Only this entity type. */
  entityType?: string;
  /** Only this entity id (with `entityType`). */
  entityId?: string;
  /** Only this user. */
  userId?: string;
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
  /**
   * Page size, 1–1000.
   * @default 50
   */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
}

/** Holds activities. */
export interface ActivityStore {
  /** Appends activities; an id already stored is left as it is (idempotent). */
  appendActivities(activities: readonly Activity[]): Promise<void>;
  /**
   * A page of activities. Throws {@link @odoo-sync/core/errors!InputError | InputError} for a malformed
   * cursor.
   */
  queryActivities(query?: ActivityQuery): Promise<Page<Activity>>;
  /** Deletes activities older than `before`; returns how many. */
  purgeActivities(before: Date): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/** An opaque (encrypted) token blob with a version for compare-and-set. */
export interface TokenEntry {
  /** Partition key (e.g. the user's id). */
  key: string;
  /** The encrypted blob, opaque to the store. */
  blob: string;
  /** Increases by one on every write; starts at 1. */
  version: number;
  /** ISO-8601 expiry of the access token inside, when known (for the pre-refresh job). */
  expiresAt: string | null;
  /** ISO-8601 time of the last write. */
  updatedAt: string;
}

/** Holds encrypted token caches per partition, with compare-and-set writes. */
export interface TokenStore {
  /** The entry, or `null`. */
  getToken(key: string): Promise<TokenEntry | null>;
  /**
   * Writes the blob when the stored version equals `expectedVersion` (`null`: only when absent),
   * and returns the new entry (version + 1). Otherwise throws
   * {@link @odoo-sync/core/errors!ConflictError | ConflictError} and writes nothing.
   */
  putToken(
    key: string,
    value: { blob: string; expiresAt: string | null },
    expectedVersion: number | null,
    at: Date,
  ): Promise<TokenEntry>;
  /** Deletes the entry; returns whether it existed. */
  deleteToken(key: string): Promise<boolean>;
  /** Entries whose `expiresAt` is before `before`, soonest first, at most `limit`. */
  listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]>;
}

// ---------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------

/** Kinds of alerts sent to admins. */
export type AlertKind =
  | 'sync_failing'
  | 'sync_recovered'
  | 'sync_paused'
  | 'mass_deletion_blocked'
  | 'mass_archive_blocked';

/** An alert for admins. */
export interface Alert {
  /** Kind. */
  kind: AlertKind;
  /** One-line subject. */
  subject: string;
  /** Plain-text body. */
  text: string;
  /** The same body as HTML, when the sender made one. */
  html?: string;
  /** ISO-8601 time. */
  at: string;
  /** Structured details (counts, error codes). Never secrets. */
  details: { [key: string]: JsonValue };
}

/** Who an alert reached, as {@link Notifier.notify} reports it. */
export interface AlertDelivery {
  /** Recipients who got it. */
  delivered: string[];
  /** Recipients who did not, with why (never secrets). */
  failed: Array<{ recipient: string; error: { code: string; message: string } }>;
}

/** Whom to send an alert to, for {@link Notifier.notify}. */
export interface NotifyOptions {
  /** Recipients who already got this alert: skip them (a retry goes only to the others). */
  skip?: readonly string[];
  /** Send only to these recipients (a recovery notice goes to those who got the alert). */
  only?: readonly string[];
}

/** Sends alerts to admins (e-mail in the server). */
export interface Notifier {
  /**
   * Sends one alert to each recipient, each on its own. Resolves with who got it and who did
   * not ({@link AlertDelivery}); resolving with nothing means every recipient got it. Throws
   * {@link @odoo-sync/core/errors!NotifierError | NotifierError} when it could send to nobody
   * (the recipients could not even be listed).
   */
  notify(alert: Alert, options?: NotifyOptions): Promise<AlertDelivery | void>;
}

// ---------------------------------------------------------------------------------------------
// The whole store
// ---------------------------------------------------------------------------------------------

/** A store that implements every store port: what the server and the contract suite use. */
export interface SyncStore extends RecordStore, SyncLogStore, SettingsStore, LockStore, UserStore, ActivityStore, TokenStore {
  /**
   * Resolves when the store answers; throws {@link @odoo-sync/core/errors!StoreError | StoreError}
   * otherwise.
   */
  ping(): Promise<void>;
  /** Releases connections and files. Safe to call twice. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Microsoft 365 tokens
// ---------------------------------------------------------------------------------------------

/**
 * Gives app code a fresh access token for a signed-in user, refreshing silently.
 * Implemented by `Ms365TokenRefresher` in `@odoo-sync/ms365-auth`.
 *
 * Rules: a transient failure (network) never signs anyone out; when silent refresh is
 * impossible the user is marked `reauthRequired` and
 * {@link @odoo-sync/core/errors!ReauthRequiredError | ReauthRequiredError} is thrown with the
 * login URL.
 */
export interface TokenRefresher {
  /** A valid access token for `userId` (refreshed silently when close to expiry). */
  getAccessToken(userId: string, scopes?: readonly string[]): Promise<string>;
  /** Refreshes every token that expires within `withinMs`; resolves with counts. */
  refreshExpiring(withinMs: number): Promise<{ refreshed: number; reauthRequired: number; failed: number }>;
  /** Forgets the user's tokens. */
  signOut(userId: string): Promise<void>;
}
