/**
 * MemoryStore: every store port in memory, one file per port composed by a thin class. The
 * reference behaviour the contract suites check, and a store for tests, examples and
 * single-process tools.
 * @module
 */
import type { EntityName } from '../entities/entities.js';
import { StoreError } from '../errors.js';
import type { Page, RecordWrite, StoredState, SyncedRecord, SyncLogEntry, SyncStatus } from '../model.js';
import type {
  Activity,
  ActivityFilter,
  ActivityQuery,
  ApiKey,
  JsonValue,
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyRecord,
  IdempotentAnswer,
  Lease,
  NewUser,
  RecordCounts,
  RecordQuery,
  SyncLogQuery,
  SyncStore,
  TokenEntry,
  User,
  UserIdentity,
  UserPatch,
  UserQuery,
} from '../ports.js';
import type { StoreInspector } from '../testing/harness.js';
import { MemoryActivities } from './activities.js';
import { MemoryIdempotency } from './idempotency.js';
import { MemoryLeases } from './leases.js';
import { MemoryRecords } from './records.js';
import { MemorySettings } from './settings.js';
import { MemorySyncLogs } from './sync-logs.js';
import { MemoryTokens } from './tokens.js';
import { MemoryUsers } from './users.js';

/**
 * Every store port in memory. Values are copied in and out, so callers can never change what
 * is stored by mutating an object.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const reconciler = new Reconciler({ source, store });
 * await reconciler.run({ mode: 'full' });
 * console.log(await store.countRecords('contact'));
 * ```
 */
export class MemoryStore implements SyncStore {
  #closed = false;
  readonly #guard = (): void => {
    if (this.#closed) throw new StoreError('The store is closed.', { retryable: false });
  };
  readonly #records = new MemoryRecords(this.#guard);
  readonly #syncLogs = new MemorySyncLogs(this.#guard);
  readonly #settings = new MemorySettings(this.#guard);
  readonly #leases = new MemoryLeases(this.#guard);
  readonly #users = new MemoryUsers(this.#guard);
  readonly #activities = new MemoryActivities(this.#guard);
  readonly #tokens = new MemoryTokens(this.#guard);
  readonly #idempotency = new MemoryIdempotency(this.#guard);

  /** Direct reads of the stored state, for contract tests. */
  readonly inspect: StoreInspector = {
    rawRecord: async (entity, odooId) => this.#records.raw(entity, odooId) as unknown as Record<string, unknown> | null,
    rawUser: async (id) => this.#users.raw(id) as unknown as Record<string, unknown> | null,
    dumpText: async () => {
      const { records, cursors } = this.#records.dump();
      const { users, apiKeys } = this.#users.dump();
      return JSON.stringify({
        records,
        cursors,
        logs: this.#syncLogs.dump(),
        settings: this.#settings.dump(),
        leases: this.#leases.dump(),
        users,
        apiKeys,
        activities: this.#activities.dump(),
        tokens: this.#tokens.dump(),
        idempotencyKeys: this.#idempotency.dump(),
      });
    },
  };

  async ping(): Promise<void> {
    this.#guard();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  // --- RecordStore ------------------------------------------------------------------------------

  getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>> {
    return this.#records.getStates(entity, ids);
  }

  upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void> {
    return this.#records.upsertRecords(entity, writes, at);
  }

  markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number> {
    return this.#records.markDeleted(entity, ids, at);
  }

  listLiveIds(entity: EntityName): Promise<number[]> {
    return this.#records.listLiveIds(entity);
  }

  getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null> {
    return this.#records.getRecord(entity, odooId);
  }

  queryRecords(entity: EntityName, query: RecordQuery = {}): Promise<Page<SyncedRecord>> {
    return this.#records.queryRecords(entity, query);
  }

  countRecords(entity: EntityName): Promise<RecordCounts> {
    return this.#records.countRecords(entity);
  }

  getCursor(entity: EntityName): Promise<string | null> {
    return this.#records.getCursor(entity);
  }

  setCursor(entity: EntityName, cursor: string | null): Promise<void> {
    return this.#records.setCursor(entity, cursor);
  }

  // --- SyncLogStore -----------------------------------------------------------------------------

  appendSyncLog(entry: SyncLogEntry): Promise<void> {
    return this.#syncLogs.appendSyncLog(entry);
  }

  listSyncLogs(query: SyncLogQuery = {}): Promise<Page<SyncLogEntry>> {
    return this.#syncLogs.listSyncLogs(query);
  }

  latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null> {
    return this.#syncLogs.latestSyncLog(entity, status);
  }

  pruneSyncLogs(before: Date): Promise<number> {
    return this.#syncLogs.pruneSyncLogs(before);
  }

  // --- SettingsStore ----------------------------------------------------------------------------

  getSetting(key: string): Promise<JsonValue | undefined> {
    return this.#settings.getSetting(key);
  }

  setSetting(key: string, value: JsonValue): Promise<void> {
    return this.#settings.setSetting(key, value);
  }

  // --- LockStore --------------------------------------------------------------------------------

  acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#leases.acquireLease(name, owner, ttlMs, now);
  }

  renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#leases.renewLease(name, owner, ttlMs, now);
  }

  releaseLease(name: string, owner: string): Promise<boolean> {
    return this.#leases.releaseLease(name, owner);
  }

  getLease(name: string, now: Date): Promise<Lease | null> {
    return this.#leases.getLease(name, now);
  }

  takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    return this.#leases.takeOverLease(name, previousOwner, owner, ttlMs, now);
  }

  // --- UserStore --------------------------------------------------------------------------------

  createUser(user: NewUser, at: Date): Promise<User> {
    return this.#users.createUser(user, at);
  }

  getUser(id: string): Promise<User | null> {
    return this.#users.getUser(id);
  }

  getUserByEmail(email: string): Promise<User | null> {
    return this.#users.getUserByEmail(email);
  }

  getUserByIdentity(identity: UserIdentity): Promise<User | null> {
    return this.#users.getUserByIdentity(identity);
  }

  updateUser(id: string, patch: UserPatch, at: Date): Promise<User> {
    return this.#users.updateUser(id, patch, at);
  }

  listUsers(query: UserQuery = {}): Promise<Page<User>> {
    return this.#users.listUsers(query);
  }

  countUsers(query: Pick<UserQuery, 'status' | 'role'> = {}): Promise<number> {
    return this.#users.countUsers(query);
  }

  createApiKey(key: ApiKey): Promise<ApiKey> {
    return this.#users.createApiKey(key);
  }

  findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.#users.findApiKeyByHash(keyHash);
  }

  listApiKeys(userId: string): Promise<ApiKey[]> {
    return this.#users.listApiKeys(userId);
  }

  touchApiKey(id: string, at: Date): Promise<void> {
    return this.#users.touchApiKey(id, at);
  }

  revokeApiKey(id: string, at: Date): Promise<boolean> {
    return this.#users.revokeApiKey(id, at);
  }

  // --- ActivityStore ----------------------------------------------------------------------------

  appendActivities(activities: readonly Activity[]): Promise<void> {
    return this.#activities.appendActivities(activities);
  }

  upsertActivities(activities: readonly Activity[]): Promise<void> {
    return this.#activities.upsertActivities(activities);
  }

  queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    return this.#activities.queryActivities(query);
  }

  streamActivities(filter: ActivityFilter = {}): AsyncIterable<Activity> {
    return this.#activities.streamActivities(filter);
  }

  purgeActivities(before: Date): Promise<number> {
    return this.#activities.purgeActivities(before);
  }

  // --- IdempotencyStore ------------------------------------------------------------------------

  claimIdempotencyKey(request: IdempotencyClaimRequest, now: Date): Promise<IdempotencyClaim> {
    return this.#idempotency.claimIdempotencyKey(request, now);
  }

  completeIdempotencyKey(key: string, fingerprint: string, answer: IdempotentAnswer, now: Date): Promise<boolean> {
    return this.#idempotency.completeIdempotencyKey(key, fingerprint, answer, now);
  }

  releaseIdempotencyKey(key: string, fingerprint: string): Promise<boolean> {
    return this.#idempotency.releaseIdempotencyKey(key, fingerprint);
  }

  getIdempotencyKey(key: string, now: Date): Promise<IdempotencyRecord | null> {
    return this.#idempotency.getIdempotencyKey(key, now);
  }

  purgeExpiredIdempotencyKeys(now: Date): Promise<number> {
    return this.#idempotency.purgeExpiredIdempotencyKeys(now);
  }

  // --- TokenStore -------------------------------------------------------------------------------

  getToken(key: string): Promise<TokenEntry | null> {
    return this.#tokens.getToken(key);
  }

  putToken(key: string, value: { blob: string; expiresAt: string | null }, expectedVersion: number | null, at: Date): Promise<TokenEntry> {
    return this.#tokens.putToken(key, value, expectedVersion, at);
  }

  deleteToken(key: string): Promise<boolean> {
    return this.#tokens.deleteToken(key);
  }

  listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]> {
    return this.#tokens.listTokensExpiringBefore(before, limit);
  }
}
