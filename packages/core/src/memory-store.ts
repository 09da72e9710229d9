/**
 * MemoryStore: every store port in memory. The reference behaviour the contract suite checks,
 * and a store for tests, examples and single-process tools.
 * @module
 */
import type { EntityName } from './entities.js';
import { ConflictError, InputError, NotFoundError, StoreError } from './errors.js';
import type { Page, RecordWrite, StoredState, SyncedRecord, SyncLogEntry, SyncStatus } from './model.js';
import { decodeCursor, isIdCursor, isPairCursor, pageLimit, pageOf } from './paging.js';
import { createdUser, emailKey, identityKey, patchedUser } from './user-records.js';
import type {
  Activity,
  ActivityQuery,
  ApiKey,
  JsonValue,
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
} from './ports.js';
import type { StoreInspector } from './testing/harness.js';

/** Reads the value at a dotted path (`userId.id`) inside a record's data. */
export function valueAtPath(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const DATA_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Throws {@link InputError} unless `path` is identifiers joined by dots (safe to put in a query). */
export function assertDataPath(path: string): void {
  if (!DATA_PATH.test(path)) {
    throw new InputError(`"${path}" is not a valid field path.`, [
      { path: `where.${path}`, message: 'expected identifiers joined by dots, e.g. userId.id' },
    ]);
  }
}

const copy = <T>(value: T): T => structuredClone(value);

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
  readonly #records = new Map<EntityName, Map<number, SyncedRecord>>();
  readonly #cursors = new Map<EntityName, string>();
  readonly #logs = new Map<string, SyncLogEntry>();
  readonly #settings = new Map<string, JsonValue>();
  readonly #leases = new Map<string, Lease>();
  readonly #users = new Map<string, User>();
  readonly #apiKeys = new Map<string, ApiKey>();
  readonly #activities = new Map<string, Activity>();
  readonly #tokens = new Map<string, TokenEntry>();

  /** Direct reads of the stored state, for contract tests. */
  readonly inspect: StoreInspector = {
    rawRecord: async (entity, odooId) => {
      const record = this.#records.get(entity)?.get(odooId);
      return record ? (copy(record) as unknown as Record<string, unknown>) : null;
    },
    rawUser: async (id) => {
      const user = this.#users.get(id);
      return user ? (copy(user) as unknown as Record<string, unknown>) : null;
    },
    dumpText: async () =>
      JSON.stringify({
        records: [...this.#records.entries()].map(([entity, map]) => [entity, [...map.values()]]),
        cursors: [...this.#cursors.entries()],
        logs: [...this.#logs.values()],
        settings: [...this.#settings.entries()],
        leases: [...this.#leases.values()],
        users: [...this.#users.values()],
        apiKeys: [...this.#apiKeys.values()],
        activities: [...this.#activities.values()],
        tokens: [...this.#tokens.values()],
      }),
  };

  #open(): void {
    if (this.#closed) throw new StoreError('The store is closed.', { retryable: false });
  }

  #entity(entity: EntityName): Map<number, SyncedRecord> {
    let map = this.#records.get(entity);
    if (!map) {
      map = new Map();
      this.#records.set(entity, map);
    }
    return map;
  }

  async ping(): Promise<void> {
    this.#open();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  // --- RecordStore -----------------------------------------------------------------------------

  async getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>> {
    this.#open();
    const map = this.#entity(entity);
    const out = new Map<number, StoredState>();
    for (const id of ids) {
      const record = map.get(id);
      if (record) out.set(id, { hash: record.hash, isActive: record.isActive, inactiveReason: record.inactiveReason });
    }
    return out;
  }

  async upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void> {
    this.#open();
    const map = this.#entity(entity);
    const now = at.toISOString();
    for (const write of writes) {
      const existing = map.get(write.odooId);
      map.set(write.odooId, {
        entity,
        odooId: write.odooId,
        data: copy(write.data),
        hash: write.hash,
        isActive: write.isActive,
        inactiveReason: write.isActive ? null : write.inactiveReason ?? 'archived',
        odooWriteDate: write.odooWriteDate,
        firstSyncedAt: existing?.firstSyncedAt ?? now,
        lastSyncedAt: now,
        deletedAt: null,
      });
    }
  }

  async markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number> {
    this.#open();
    const map = this.#entity(entity);
    let changed = 0;
    for (const id of ids) {
      const record = map.get(id);
      if (!record || record.inactiveReason === 'deleted') continue;
      record.isActive = false;
      record.inactiveReason = 'deleted';
      record.deletedAt = at.toISOString();
      changed++;
    }
    return changed;
  }

  async listLiveIds(entity: EntityName): Promise<number[]> {
    this.#open();
    const ids: number[] = [];
    for (const record of this.#entity(entity).values()) {
      if (record.inactiveReason !== 'deleted') ids.push(record.odooId);
    }
    return ids.sort((a, b) => a - b);
  }

  async getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null> {
    this.#open();
    const record = this.#entity(entity).get(odooId);
    return record ? copy(record) : null;
  }

  async queryRecords(entity: EntityName, query: RecordQuery = {}): Promise<Page<SyncedRecord>> {
    this.#open();
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isIdCursor)[0] : 0;
    const needle = query.search?.text.trim().toLowerCase() ?? '';
    const where = Object.entries(query.where ?? {});
    for (const [path] of where) assertDataPath(path);
    const matches = [...this.#entity(entity).values()]
      .filter((record) => record.odooId > after)
      .filter((record) => query.includeInactive === true || record.isActive)
      .filter((record) => where.every(([path, value]) => (valueAtPath(record.data, path) ?? null) === value))
      .filter((record) => {
        if (!needle || !query.search) return true;
        return query.search.keys.some((key) => {
          const value = valueAtPath(record.data, key);
          return typeof value === 'string' && value.toLowerCase().includes(needle);
        });
      })
      .sort((a, b) => a.odooId - b.odooId);
    return pageOf(matches, limit, copy, (item) => [item.odooId]);
  }

  async countRecords(entity: EntityName): Promise<RecordCounts> {
    this.#open();
    const counts: RecordCounts = { active: 0, archived: 0, deleted: 0 };
    for (const record of this.#entity(entity).values()) {
      if (record.isActive) counts.active++;
      else if (record.inactiveReason === 'deleted') counts.deleted++;
      else counts.archived++;
    }
    return counts;
  }

  async getCursor(entity: EntityName): Promise<string | null> {
    this.#open();
    return this.#cursors.get(entity) ?? null;
  }

  async setCursor(entity: EntityName, cursor: string | null): Promise<void> {
    this.#open();
    if (cursor === null) this.#cursors.delete(entity);
    else this.#cursors.set(entity, cursor);
  }

  // --- SyncLogStore ----------------------------------------------------------------------------

  async appendSyncLog(entry: SyncLogEntry): Promise<void> {
    this.#open();
    this.#logs.set(entry.id, copy(entry));
  }

  async listSyncLogs(query: SyncLogQuery = {}): Promise<Page<SyncLogEntry>> {
    this.#open();
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const from = query.from?.getTime();
    const to = query.to?.getTime();
    const matches = [...this.#logs.values()]
      .filter((e) => query.entity === undefined || e.entity === query.entity)
      .filter((e) => query.status === undefined || e.status === query.status)
      .filter((e) => query.runId === undefined || e.runId === query.runId)
      .filter((e) => from === undefined || Date.parse(e.startedAt) >= from)
      .filter((e) => to === undefined || Date.parse(e.startedAt) < to)
      .sort(newestFirst((e) => [e.startedAt, e.id]))
      .filter((e) => !after || isBefore([e.startedAt, e.id], after));
    return pageOf(matches, limit, copy, (item) => [item.startedAt, item.id]);
  }

  async latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null> {
    const page = await this.listSyncLogs({ entity, ...(status === undefined ? {} : { status }), limit: 1 });
    return page.items[0] ?? null;
  }

  async pruneSyncLogs(before: Date): Promise<number> {
    this.#open();
    let removed = 0;
    for (const [id, entry] of this.#logs) {
      if (Date.parse(entry.startedAt) < before.getTime()) {
        this.#logs.delete(id);
        removed++;
      }
    }
    return removed;
  }

  // --- SettingsStore ---------------------------------------------------------------------------

  async getSetting(key: string): Promise<JsonValue | undefined> {
    this.#open();
    const value = this.#settings.get(key);
    return value === undefined ? undefined : copy(value);
  }

  async setSetting(key: string, value: JsonValue): Promise<void> {
    this.#open();
    this.#settings.set(key, copy(value));
  }

  // --- LockStore -------------------------------------------------------------------------------

  async acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    this.#open();
    const current = this.#leases.get(name);
    if (current && current.owner !== owner && Date.parse(current.expiresAt) > now.getTime()) return null;
    const lease = { name, owner, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    this.#leases.set(name, lease);
    return { ...lease };
  }

  async renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    this.#open();
    const current = this.#leases.get(name);
    if (!current || current.owner !== owner) return null;
    current.expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    return { ...current };
  }

  async releaseLease(name: string, owner: string): Promise<boolean> {
    this.#open();
    const current = this.#leases.get(name);
    if (!current || current.owner !== owner) return false;
    this.#leases.delete(name);
    return true;
  }

  async getLease(name: string, now: Date): Promise<Lease | null> {
    this.#open();
    const current = this.#leases.get(name);
    return current && Date.parse(current.expiresAt) > now.getTime() ? { ...current } : null;
  }

  async takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    this.#open();
    const current = this.#leases.get(name);
    if (!current || current.owner !== previousOwner) return null;
    const lease = { name, owner, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    this.#leases.set(name, lease);
    return { ...lease };
  }

  // --- UserStore -------------------------------------------------------------------------------

  #emailTaken(email: string, exceptId?: string): boolean {
    const key = emailKey(email);
    for (const user of this.#users.values()) {
      if (user.id !== exceptId && emailKey(user.email) === key) return true;
    }
    return false;
  }

  #identityTaken(identity: UserIdentity, exceptId?: string): boolean {
    const key = identityKey(identity);
    for (const user of this.#users.values()) {
      if (user.id !== exceptId && user.identity !== null && identityKey(user.identity) === key) return true;
    }
    return false;
  }

  async createUser(user: NewUser, at: Date): Promise<User> {
    this.#open();
    if (this.#users.has(user.id)) throw new ConflictError(`A user with id ${user.id} already exists.`);
    if (this.#emailTaken(user.email)) throw new ConflictError('A user with this e-mail already exists.');
    if (user.identity && this.#identityTaken(user.identity)) throw new ConflictError('A user with this identity already exists.');
    const created = createdUser(user, at);
    this.#users.set(user.id, created);
    return copy(created);
  }

  async getUser(id: string): Promise<User | null> {
    this.#open();
    const user = this.#users.get(id);
    return user ? copy(user) : null;
  }

  async getUserByEmail(email: string): Promise<User | null> {
    this.#open();
    const key = emailKey(email);
    for (const user of this.#users.values()) if (emailKey(user.email) === key) return copy(user);
    return null;
  }

  async getUserByIdentity(identity: UserIdentity): Promise<User | null> {
    this.#open();
    const key = identityKey(identity);
    for (const user of this.#users.values()) if (user.identity !== null && identityKey(user.identity) === key) return copy(user);
    return null;
  }

  async updateUser(id: string, patch: UserPatch, at: Date): Promise<User> {
    this.#open();
    const user = this.#users.get(id);
    if (!user) throw new NotFoundError(`No user with id ${id}.`);
    if (patch.email !== undefined && this.#emailTaken(patch.email, id)) {
      throw new ConflictError('A user with this e-mail already exists.');
    }
    if (patch.identity && this.#identityTaken(patch.identity, id)) {
      throw new ConflictError('A user with this identity already exists.');
    }
    const updated = patchedUser(user, patch, at);
    this.#users.set(id, updated);
    return copy(updated);
  }

  async listUsers(query: UserQuery = {}): Promise<Page<User>> {
    this.#open();
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const matches = [...this.#users.values()]
      .filter((u) => query.status === undefined || u.status === query.status)
      .filter((u) => query.role === undefined || u.role === query.role)
      .sort((a, b) => comparePairs([a.createdAt, a.id], [b.createdAt, b.id]))
      .filter((u) => !after || comparePairs([u.createdAt, u.id], after) > 0);
    return pageOf(matches, limit, copy, (item) => [item.createdAt, item.id]);
  }

  async countUsers(query: Pick<UserQuery, 'status' | 'role'> = {}): Promise<number> {
    this.#open();
    let count = 0;
    for (const u of this.#users.values()) {
      if ((query.status === undefined || u.status === query.status) && (query.role === undefined || u.role === query.role)) {
        count++;
      }
    }
    return count;
  }

  async createApiKey(key: ApiKey): Promise<ApiKey> {
    this.#open();
    if (this.#apiKeys.has(key.id)) throw new ConflictError(`An API key with id ${key.id} already exists.`);
    for (const existing of this.#apiKeys.values()) {
      if (existing.keyHash === key.keyHash) throw new ConflictError('An API key with this hash already exists.');
    }
    this.#apiKeys.set(key.id, copy(key));
    return copy(key);
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    this.#open();
    for (const key of this.#apiKeys.values()) {
      if (key.keyHash === keyHash && key.revokedAt === null) return copy(key);
    }
    return null;
  }

  async listApiKeys(userId: string): Promise<ApiKey[]> {
    this.#open();
    return [...this.#apiKeys.values()]
      .filter((k) => k.userId === userId)
      .sort((a, b) => comparePairs([a.createdAt, a.id], [b.createdAt, b.id]))
      .map(copy);
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    this.#open();
    const key = this.#apiKeys.get(id);
    if (key) key.lastUsedAt = at.toISOString();
  }

  async revokeApiKey(id: string, at: Date): Promise<boolean> {
    this.#open();
    const key = this.#apiKeys.get(id);
    if (!key || key.revokedAt !== null) return false;
    key.revokedAt = at.toISOString();
    return true;
  }

  // --- ActivityStore ---------------------------------------------------------------------------

  async appendActivities(activities: readonly Activity[]): Promise<void> {
    this.#open();
    for (const activity of activities) {
      if (!this.#activities.has(activity.id)) this.#activities.set(activity.id, copy(activity));
    }
  }

  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    this.#open();
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const from = query.from?.getTime();
    const to = query.to?.getTime();
    const matches = [...this.#activities.values()]
      .filter((a) => query.activityType === undefined || a.activityType === query.activityType)
      .filter((a) => query.entityType === undefined || a.entityType === query.entityType)
      .filter((a) => query.entityId === undefined || a.entityId === query.entityId)
      .filter((a) => query.userId === undefined || a.userId === query.userId)
      .filter((a) => from === undefined || Date.parse(a.timestamp) >= from)
      .filter((a) => to === undefined || Date.parse(a.timestamp) < to)
      .sort(newestFirst((a) => [a.timestamp, a.id]))
      .filter((a) => !after || isBefore([a.timestamp, a.id], after));
    return pageOf(matches, limit, copy, (item) => [item.timestamp, item.id]);
  }

  async purgeActivities(before: Date): Promise<number> {
    this.#open();
    let removed = 0;
    for (const [id, activity] of this.#activities) {
      if (Date.parse(activity.timestamp) < before.getTime()) {
        this.#activities.delete(id);
        removed++;
      }
    }
    return removed;
  }

  // --- TokenStore ------------------------------------------------------------------------------

  async getToken(key: string): Promise<TokenEntry | null> {
    this.#open();
    const entry = this.#tokens.get(key);
    return entry ? copy(entry) : null;
  }

  async putToken(
    key: string,
    value: { blob: string; expiresAt: string | null },
    expectedVersion: number | null,
    at: Date,
  ): Promise<TokenEntry> {
    this.#open();
    const current = this.#tokens.get(key);
    if ((current?.version ?? null) !== expectedVersion) {
      throw new ConflictError(`The token entry changed since it was read (expected version ${String(expectedVersion)}).`, {
        retryable: true,
      });
    }
    const entry: TokenEntry = {
      key,
      blob: value.blob,
      version: (current?.version ?? 0) + 1,
      expiresAt: value.expiresAt,
      updatedAt: at.toISOString(),
    };
    this.#tokens.set(key, entry);
    return copy(entry);
  }

  async deleteToken(key: string): Promise<boolean> {
    this.#open();
    return this.#tokens.delete(key);
  }

  async listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]> {
    this.#open();
    return [...this.#tokens.values()]
      .filter((t) => t.expiresAt !== null && Date.parse(t.expiresAt) < before.getTime())
      .sort((a, b) => Date.parse(a.expiresAt ?? '') - Date.parse(b.expiresAt ?? '') || (a.key < b.key ? -1 : 1))
      .slice(0, limit)
      .map(copy);
  }
}

/** Orders [time, id] pairs ascending: time by instant, then id as a string. */
function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  const byTime = Date.parse(a[0]) - Date.parse(b[0]);
  if (byTime !== 0) return byTime;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function newestFirst<T>(key: (item: T) => [string, string]): (a: T, b: T) => number {
  return (a, b) => comparePairs(key(b), key(a));
}

/** True when `pair` comes after `cursor` in newest-first order (i.e. is older). */
function isBefore(pair: [string, string], cursor: readonly [string, string]): boolean {
  return comparePairs(pair, cursor) < 0;
}
