/**
 * SqliteStore: every store port of `@odoo-sync/core` on one SQLite file (better-sqlite3, WAL).
 * A thin class: the sync ports come from {@link SqliteSyncStore}, the identity and activity
 * ports from their own files, all on one shared connection.
 * @module
 */
import type { Activity, ApiKey, SyncStore, TokenEntry, User, UserIdentity } from '@odoo-sync/core';
import type {
  ActivityFilter,
  ActivityQuery,
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyRecord,
  IdempotentAnswer,
  NewUser,
  Page,
  UserPatch,
  UserQuery,
} from '@odoo-sync/core/store-kit';
import { SqliteActivities } from './activities.js';
import { SqliteApiKeys } from './api-keys.js';
import { SqliteIdempotency } from './idempotency.js';
import type { SqliteStoreOptions } from './options.js';
import { connectionOf, SqliteSyncStore } from './sync-store.js';
import { SqliteTokens } from './tokens.js';
import { SqliteUsers } from './users.js';

/**
 * Every store port of `@odoo-sync/core` on one SQLite file, through better-sqlite3: the sync
 * ports of {@link SqliteSyncStore} plus users, API keys, token caches, activities and
 * idempotency keys.
 *
 * - The database is opened, configured (WAL, `synchronous`, `busy_timeout`, foreign keys) and
 *   migrated in the constructor, so a bad path or a database from a newer version fails at
 *   startup with a `StoreError`, not on the first request.
 * - better-sqlite3 is synchronous: each method does its work in one go and returns a settled
 *   promise. Writes that touch several rows run in one `IMMEDIATE` transaction (all or
 *   nothing); no transaction is ever held across an `await`.
 * - Every driver failure is a `StoreError` with the driver's error as `cause`
 *   (`retryable` for `SQLITE_BUSY`, I/O errors and a full disk). After {@link SqliteStore.close}
 *   every method rejects with a `StoreError`.
 * - Several `SqliteStore`s (in one or many processes) may share a file: leases are exclusive
 *   across all of them, token writes are compare-and-set.
 *
 * @example
 * ```ts
 * import { Reconciler } from '@odoo-sync/core';
 * import { SqliteStore } from '@odoo-sync/sqlite-store';
 *
 * const store = SqliteStore.open('./data/odoo-sync.db');
 * const reconciler = new Reconciler({ source, store });
 * await reconciler.run({ mode: 'full' });
 * console.log(await store.countRecords('contact'));
 * await store.close();
 * ```
 */
export class SqliteStore extends SqliteSyncStore implements SyncStore {
  readonly #users: SqliteUsers;
  readonly #apiKeys: SqliteApiKeys;
  readonly #tokens: SqliteTokens;
  readonly #activities: SqliteActivities;
  readonly #idempotency: SqliteIdempotency;

  /**
   * Opens (creating when missing) and migrates the database. Throws a `TypeError` for invalid
   * options and a `StoreError` when the file cannot be opened, is not a SQLite database,
   * or was written by a newer version of this package.
   */
  constructor(options: string | SqliteStoreOptions) {
    super(options);
    const connection = connectionOf(this);
    this.#users = new SqliteUsers(connection);
    this.#apiKeys = new SqliteApiKeys(connection);
    this.#tokens = new SqliteTokens(connection);
    this.#activities = new SqliteActivities(connection);
    this.#idempotency = new SqliteIdempotency(connection);
  }

  /**
   * Opens a store: the same as `new SqliteStore(options)`.
   *
   * @example
   * ```ts
   * const store = SqliteStore.open({ path: '/var/lib/odoo-sync/store.db', synchronous: 'full' });
   * ```
   */
  static override open(options: string | SqliteStoreOptions): SqliteStore {
    return new SqliteStore(options);
  }

  // --- UserStore: users (users.ts) -------------------------------------------------------------

  /** @inheritDoc */
  createUser(user: NewUser, at: Date): Promise<User> {
    return this.#users.createUser(user, at);
  }

  /** @inheritDoc */
  getUser(id: string): Promise<User | null> {
    return this.#users.getUser(id);
  }

  /** @inheritDoc */
  getUserByEmail(email: string): Promise<User | null> {
    return this.#users.getUserByEmail(email);
  }

  /** @inheritDoc */
  getUserByIdentity(identity: UserIdentity): Promise<User | null> {
    return this.#users.getUserByIdentity(identity);
  }

  /** @inheritDoc */
  updateUser(id: string, patch: UserPatch, at: Date): Promise<User> {
    return this.#users.updateUser(id, patch, at);
  }

  /** @inheritDoc */
  listUsers(query?: UserQuery): Promise<Page<User>> {
    return this.#users.listUsers(query);
  }

  /** @inheritDoc */
  countUsers(query?: Pick<UserQuery, 'status' | 'role'>): Promise<number> {
    return this.#users.countUsers(query);
  }

  // --- UserStore: API keys (api-keys.ts) -------------------------------------------------------

  /** @inheritDoc */
  createApiKey(key: ApiKey): Promise<ApiKey> {
    return this.#apiKeys.createApiKey(key);
  }

  /** @inheritDoc */
  findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.#apiKeys.findApiKeyByHash(keyHash);
  }

  /** @inheritDoc */
  listApiKeys(userId: string): Promise<ApiKey[]> {
    return this.#apiKeys.listApiKeys(userId);
  }

  /** @inheritDoc */
  touchApiKey(id: string, at: Date): Promise<void> {
    return this.#apiKeys.touchApiKey(id, at);
  }

  /** @inheritDoc */
  revokeApiKey(id: string, at: Date): Promise<boolean> {
    return this.#apiKeys.revokeApiKey(id, at);
  }

  // --- TokenStore (tokens.ts) ------------------------------------------------------------------

  /** @inheritDoc */
  getToken(key: string): Promise<TokenEntry | null> {
    return this.#tokens.getToken(key);
  }

  /** @inheritDoc */
  putToken(key: string, value: { blob: string; expiresAt: string | null }, expectedVersion: number | null, at: Date): Promise<TokenEntry> {
    return this.#tokens.putToken(key, value, expectedVersion, at);
  }

  /** @inheritDoc */
  deleteToken(key: string): Promise<boolean> {
    return this.#tokens.deleteToken(key);
  }

  /** @inheritDoc */
  listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]> {
    return this.#tokens.listTokensExpiringBefore(before, limit);
  }

  // --- ActivityStore (activities.ts) -----------------------------------------------------------

  /** @inheritDoc */
  appendActivities(activities: readonly Activity[]): Promise<void> {
    return this.#activities.appendActivities(activities);
  }

  /** @inheritDoc */
  upsertActivities(activities: readonly Activity[]): Promise<void> {
    return this.#activities.upsertActivities(activities);
  }

  /** @inheritDoc */
  queryActivities(query?: ActivityQuery): Promise<Page<Activity>> {
    return this.#activities.queryActivities(query);
  }

  /** @inheritDoc */
  streamActivities(filter?: ActivityFilter): AsyncIterable<Activity> {
    return this.#activities.streamActivities(filter);
  }

  /** @inheritDoc */
  purgeActivities(before: Date): Promise<number> {
    return this.#activities.purgeActivities(before);
  }

  // --- IdempotencyStore (idempotency.ts) -------------------------------------------------------

  /** @inheritDoc */
  claimIdempotencyKey(request: IdempotencyClaimRequest, now: Date): Promise<IdempotencyClaim> {
    return this.#idempotency.claimIdempotencyKey(request, now);
  }

  /** @inheritDoc */
  completeIdempotencyKey(key: string, fingerprint: string, answer: IdempotentAnswer, now: Date): Promise<boolean> {
    return this.#idempotency.completeIdempotencyKey(key, fingerprint, answer, now);
  }

  /** @inheritDoc */
  releaseIdempotencyKey(key: string, fingerprint: string): Promise<boolean> {
    return this.#idempotency.releaseIdempotencyKey(key, fingerprint);
  }

  /** @inheritDoc */
  getIdempotencyKey(key: string, now: Date): Promise<IdempotencyRecord | null> {
    return this.#idempotency.getIdempotencyKey(key, now);
  }

  /** @inheritDoc */
  purgeExpiredIdempotencyKeys(now: Date): Promise<number> {
    return this.#idempotency.purgeExpiredIdempotencyKeys(now);
  }
}
