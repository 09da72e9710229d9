/**
 * MongoStore: every store port of @odoo-sync/core on MongoDB through the official driver.
 * A thin class: the sync ports come from {@link MongoSyncStore}, the identity and activity
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
import { MongoActivities } from './activities.js';
import { MongoApiKeys } from './api-keys.js';
import { mongoCollectionNames } from './collections.js';
import { MongoIdempotency } from './idempotency.js';
import type { MongoStoreOptions } from './options.js';
import { connectionOf, MongoSyncStore } from './sync-store.js';
import { MongoTokens } from './tokens.js';
import { MongoUsers } from './users.js';

/**
 * Every store port on MongoDB (6.0 or later): records in one collection per entity, plus
 * `sync_logs`, `sync_cursors`, `settings`, `locks`, `users`, `api_keys`, `activities`,
 * `tokens` and `idempotency_keys`. Connects on first use (once); creates each collection's indexes the first time the
 * collection is used (idempotent; {@link MongoStore.ensureIndexes} does all of them up front).
 * Driver failures are thrown as `StoreError` with the driver's error as `cause`.
 *
 * @example
 * ```ts
 * import { MongoStore } from '@odoo-sync/mongo-store';
 * import { Reconciler } from '@odoo-sync/core';
 *
 * const store = new MongoStore({ url: process.env.MONGODB_URI! });
 * await store.ensureIndexes(); // optional: otherwise on first use
 * const reconciler = new Reconciler({ source, store });
 * await reconciler.run({ mode: 'full' });
 * await store.close();
 * ```
 */
export class MongoStore extends MongoSyncStore implements SyncStore {
  readonly #users: MongoUsers;
  readonly #apiKeys: MongoApiKeys;
  readonly #tokens: MongoTokens;
  readonly #idempotency: MongoIdempotency;
  readonly #activities: MongoActivities;

  /**
   * Validates the options (a `TypeError` names a wrong one; a connection string the driver
   * cannot parse is a `ConfigError`). Does not connect.
   */
  constructor(options: MongoStoreOptions) {
    super(options);
    const connection = connectionOf(this);
    this.#users = new MongoUsers(connection);
    this.#apiKeys = new MongoApiKeys(connection);
    this.#tokens = new MongoTokens(connection);
    this.#idempotency = new MongoIdempotency(connection);
    this.#activities = new MongoActivities(connection);
  }

  /**
   * Creates the indexes of every collection now instead of on first use (e.g. at server start).
   * Idempotent; resolves when all exist.
   */
  override async ensureIndexes(): Promise<void> {
    const connection = connectionOf(this);
    await connection.ensureIndexes(mongoCollectionNames([...connection.definitions.values()]));
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
