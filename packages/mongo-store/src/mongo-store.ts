/**
 * MongoStore: every store port of @odoo-sync/core on MongoDB through the official driver.
 * @module
 */
import type {
  Activity,
  ActivityQuery,
  ApiKey,
  EntityName,
  JsonValue,
  Lease,
  Logger,
  NewUser,
  Page,
  RecordCounts,
  RecordQuery,
  RecordWrite,
  StoredState,
  SyncedRecord,
  SyncLogEntry,
  SyncLogQuery,
  SyncStatus,
  SyncStore,
  TokenEntry,
  User,
  UserIdentity,
  UserPatch,
  UserQuery,
} from '@odoo-sync/core';
import { createdUser, decodeCursor, emailKey, identityKey, normalizedIdentity, isEntityName, isIdCursor, isPairCursor, pageLimit, pageOf } from '@odoo-sync/core';
import { ConfigError, ConflictError, InputError, NotFoundError, StoreError, isOdooSyncError } from '@odoo-sync/core/errors';
import type { Collection, Db, Document, Filter, IndexDescription, MongoClientOptions } from 'mongodb';
import { MongoClient } from 'mongodb';
import { chunk, writeBatches } from './bulk.js';
import type { MongoCollectionName, MongoRetentionOptions } from './collections.js';
import { MONGO_COLLECTIONS, indexesOf, mongoCollectionNames, ttlIndexNameOf } from './collections.js';
import type { ActivityDoc, ApiKeyDoc, CursorDoc, LockDoc, RecordDoc, SettingDoc, SyncLogDoc, TokenDoc, UserDoc } from './documents.js';
import {
  assertOdooIds,
  newRecordDoc,
  parseTime,
  recordUpsert,
  toActivity,
  toActivityDoc,
  toApiKey,
  toApiKeyDoc,
  toSyncedRecord,
  toSyncLogDoc,
  toSyncLogEntry,
  toTokenEntry,
  toUser,
} from './documents.js';
import {
  connectionSecrets,
  hostsOf,
  duplicateUserField,
  isDuplicateIdError,
  isDuplicateKeyError,
  isTransientDriverError,
  scrubError,
  toStoreError,
} from './driver-errors.js';
import type { MongoStoreOptions } from './options.js';
import { resolveMongoStoreOptions } from './options.js';
import { assertWhere, matchesRecordQuery, recordFilter } from './record-filters.js';

/** Ids per `$in` query or `updateMany`: a page of ids is one query; huge lists stay under BSON limits. */
const IDS_PER_QUERY = 10_000;

/** Server error codes of an index that exists with other options (e.g. another TTL). */
const INDEX_CONFLICT_CODES = new Set([85, 86]);
/** The collection does not exist yet. */
const NAMESPACE_NOT_FOUND = 26;

const RECORD_STATE_PROJECTION = { _id: 0, odooId: 1, hash: 1, isActive: 1, inactiveReason: 1 } as const;
const ODOO_ID_PROJECTION = { _id: 0, odooId: 1 } as const;

function assertEntity(entity: EntityName): void {
  if (!isEntityName(entity)) {
    throw new InputError(`Unknown entity "${String(entity)}".`, [{ path: 'entity', message: 'not an odoo-sync entity' }]);
  }
}

function cursorTime(value: string): Date {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new InputError('The page cursor is not valid.', [{ path: 'cursor', message: 'malformed cursor' }], {
      hint: 'Pass the nextCursor of the previous page unchanged, or no cursor for the first page.',
    });
  }
  return new Date(time);
}

/** Keyset condition for "after (time, id)" in the given sort direction. */
function keysetAfter(field: string, time: Date, id: string, direction: 1 | -1): Filter<Document> {
  const op = direction === 1 ? '$gt' : '$lt';
  return { $or: [{ [field]: { [op]: time } }, { [field]: time, _id: { [op]: id } }] };
}

function and(conditions: Filter<Document>[]): Filter<Document> {
  if (conditions.length === 0) return {};
  if (conditions.length === 1) return conditions[0] as Filter<Document>;
  return { $and: conditions };
}

function toIndexDescription(spec: ReturnType<typeof indexesOf>[number]): IndexDescription {
  return {
    name: spec.name,
    key: spec.key,
    ...(spec.unique ? { unique: true } : {}),
    ...(spec.expireAfterSeconds === undefined ? {} : { expireAfterSeconds: spec.expireAfterSeconds }),
    ...(spec.partialFilterExpression === undefined ? {} : { partialFilterExpression: spec.partialFilterExpression }),
  };
}

function codeOf(err: unknown): unknown {
  return err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
}

/**
 * Every store port on MongoDB (6.0 or later): records in one collection per entity, plus
 * `sync_logs`, `sync_cursors`, `settings`, `locks`, `users`, `api_keys`, `activities` and
 * `tokens`. Connects on first use (once); creates each collection's indexes the first time the
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
export class MongoStore implements SyncStore {
  readonly #client: MongoClient;
  readonly #ownsClient: boolean;
  readonly #dbName: string;
  readonly #batchSize: number;
  readonly #retention: MongoRetentionOptions;
  readonly #logger: Logger;
  readonly #secrets: string[];
  readonly #hosts: string;
  #connecting: Promise<Db> | null = null;
  #closed = false;
  #closing: Promise<void> | null = null;
  readonly #indexes = new Map<MongoCollectionName, Promise<void>>();

  /**
   * Validates the options (a `TypeError` names a wrong one; a connection string the driver
   * cannot parse is a `ConfigError`). Does not connect.
   */
  constructor(options: MongoStoreOptions) {
    const resolved = resolveMongoStoreOptions(options);
    this.#dbName = resolved.dbName;
    this.#batchSize = resolved.batchSize;
    this.#retention = resolved.retention;
    this.#logger = resolved.logger;
    if (resolved.client) {
      this.#client = resolved.client;
      this.#ownsClient = false;
      this.#secrets = [];
      this.#hosts = 'the injected client';
    } else {
      const url = resolved.url as string;
      this.#secrets = connectionSecrets(url);
      this.#hosts = hostsOf(url);
      const clientOptions: MongoClientOptions = { appName: 'odoo-sync', ...resolved.clientOptions };
      try {
        this.#client = new MongoClient(url, clientOptions);
      } catch (err) {
        const cause = scrubError(err, this.#secrets);
        throw new ConfigError(
          'The MongoDB connection string is not valid.',
          [{ path: 'url', message: cause instanceof Error ? cause.message : 'unparseable connection string' }],
          { cause, hint: 'Check the connection string; percent-encode special characters in the user name and password.' },
        );
      }
      this.#ownsClient = true;
    }
  }

  /** Name of the database the store uses. */
  get dbName(): string {
    return this.#dbName;
  }

  // --- connection, indexes, errors -------------------------------------------------------------

  #closedError(): StoreError {
    return new StoreError('The store is closed.', { retryable: false });
  }

  #db(): Promise<Db> {
    if (this.#closed) return Promise.reject(this.#closedError());
    this.#connecting ??= this.#connect();
    return this.#connecting;
  }

  async #connect(): Promise<Db> {
    try {
      await this.#client.connect();
    } catch (err) {
      this.#connecting = null;
      const cause = scrubError(err, this.#secrets);
      this.#logger.error({ hosts: this.#hosts, dbName: this.#dbName, err: cause }, 'mongo-store could not connect');
      throw new StoreError(`Could not connect to MongoDB at ${this.#hosts}.`, {
        cause,
        retryable: true,
        hint: 'Check that MongoDB is running and reachable, and the credentials in the connection string.',
      });
    }
    this.#logger.debug({ hosts: this.#hosts, dbName: this.#dbName }, 'mongo-store connected');
    return this.#client.db(this.#dbName, { ignoreUndefined: true });
  }

  /** The collection, after its indexes were ensured once by this store. */
  async #collection<T extends Document>(name: MongoCollectionName): Promise<Collection<T>> {
    const db = await this.#db();
    let ready = this.#indexes.get(name);
    if (!ready) {
      ready = this.#createIndexes(db, name);
      this.#indexes.set(name, ready);
      // A failed attempt is forgotten so the next call tries again.
      ready.catch(() => this.#indexes.delete(name));
    }
    await ready;
    return db.collection<T>(name);
  }

  async #createIndexes(db: Db, name: MongoCollectionName): Promise<void> {
    const collection = db.collection(name);
    const specs = indexesOf(name, this.#retention);
    const plain = specs.filter((spec) => spec.expireAfterSeconds === undefined);
    if (plain.length > 0) {
      try {
        await collection.createIndexes(plain.map(toIndexDescription));
      } catch (err) {
        throw new StoreError(`Could not create the indexes of ${name}.`, {
          cause: scrubError(err, this.#secrets),
          retryable: isTransientDriverError(err),
          hint: INDEX_CONFLICT_CODES.has(codeOf(err) as number)
            ? `An index of ${name} exists with another definition; drop it (db.${name}.dropIndex(name)) and it is recreated on next use.`
            : 'Check that the MongoDB user may create indexes (role readWrite or dbAdmin).',
        });
      }
    }
    for (const ttl of specs.filter((spec) => spec.expireAfterSeconds !== undefined)) {
      try {
        await collection.createIndexes([toIndexDescription(ttl)]);
      } catch (err) {
        if (!INDEX_CONFLICT_CODES.has(codeOf(err) as number)) throw err;
        // The retention changed: MongoDB changes a TTL in place with collMod.
        await db.command({ collMod: name, index: { name: ttl.name, expireAfterSeconds: ttl.expireAfterSeconds } });
        this.#logger.info({ collection: name, index: ttl.name, expireAfterSeconds: ttl.expireAfterSeconds }, 'mongo-store changed a retention TTL');
      }
    }
    const ttlName = ttlIndexNameOf(name);
    if (ttlName && !specs.some((spec) => spec.name === ttlName)) await this.#dropIndexIfPresent(collection, ttlName);
    this.#logger.debug({ collection: name, indexes: specs.map((s) => s.name) }, 'mongo-store indexes ensured');
  }

  /** Drops a retention TTL index left from a configuration that had retention switched on. */
  async #dropIndexIfPresent(collection: Collection, indexName: string): Promise<void> {
    let present = false;
    try {
      present = (await collection.listIndexes().toArray()).some((index) => (index as { name?: unknown }).name === indexName);
    } catch (err) {
      if (codeOf(err) === NAMESPACE_NOT_FOUND) return;
      throw err;
    }
    if (!present) return;
    await collection.dropIndex(indexName);
    this.#logger.info({ collection: collection.collectionName, index: indexName }, 'mongo-store dropped a retention TTL that is no longer configured');
  }

  /** Runs `fn`, turning driver failures into `StoreError` (credentials masked). */
  async #run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // A call that was in flight when close() ran fails in the driver; say why, once.
      if (this.#closed && !isOdooSyncError(err)) throw new StoreError('The store is closed.', { retryable: false, cause: scrubError(err, this.#secrets) });
      throw toStoreError(err, operation, this.#secrets);
    }
  }

  /**
   * Creates the indexes of every collection now instead of on first use (e.g. at server start).
   * Idempotent; resolves when all exist.
   */
  async ensureIndexes(): Promise<void> {
    await this.#run('ensureIndexes', async () => {
      for (const name of mongoCollectionNames()) await this.#collection(name);
    });
  }

  /** Resolves when MongoDB answers a `ping`; throws `StoreError` otherwise. */
  async ping(): Promise<void> {
    await this.#run('ping', async () => {
      const db = await this.#db();
      await db.command({ ping: 1 });
    });
  }

  /** Closes the client when the store created it (never an injected one). Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      if (!this.#ownsClient) return;
      await this.#connecting?.catch(() => undefined);
      await this.#client.close();
    })();
    await this.#closing;
  }

  // --- RecordStore -----------------------------------------------------------------------------

  async getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>> {
    assertEntity(entity);
    return this.#run('getStates', async () => {
      const records = await this.#collection<RecordDoc>(entity);
      const out = new Map<number, StoredState>();
      for (const part of chunk(ids, IDS_PER_QUERY)) {
        const docs = await records.find({ odooId: { $in: part } }, { projection: RECORD_STATE_PROJECTION }).toArray();
        for (const doc of docs) out.set(doc.odooId, { hash: doc.hash, isActive: doc.isActive, inactiveReason: doc.inactiveReason ?? null });
      }
      return out;
    });
  }

  async upsertRecords(entity: EntityName, writes: readonly RecordWrite[], at: Date): Promise<void> {
    assertEntity(entity);
    assertOdooIds(writes);
    if (writes.length === 0) return;
    // The last write of an id wins, as in MemoryStore; an unordered bulk write has no order.
    const latest = new Map<number, RecordWrite>();
    for (const write of writes) {
      latest.delete(write.odooId);
      latest.set(write.odooId, write);
    }
    await this.#run('upsertRecords', async () => {
      const records = await this.#collection<RecordDoc>(entity);
      await writeBatches(records, [...latest.values()], {
        batchSize: this.#batchSize,
        // New ids are plain inserts (no lookup on the server); stored ones are upserts that keep
        // firstSyncedAt. An id inserted meanwhile by another writer fails with a duplicate key,
        // and the batch is written again as upserts.
        plan: async (batch) => {
          const found = await records.find({ odooId: { $in: batch.map((w) => w.odooId) } }, { projection: ODOO_ID_PROJECTION }).toArray();
          const stored = new Set(found.map((doc) => doc.odooId));
          return batch.map((write) => (stored.has(write.odooId) ? recordUpsert(write, at) : { insertOne: { document: newRecordDoc(write, at) } }));
        },
        replan: (batch) => batch.map((write) => recordUpsert(write, at)),
        onRetry: (error, batchIndex) =>
          this.#logger.warn({ entity, batchIndex, err: scrubError(error, this.#secrets) }, 'mongo-store: records were inserted concurrently; batch written again as upserts'),
      });
    });
  }

  async markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number> {
    assertEntity(entity);
    if (ids.length === 0) return 0;
    return this.#run('markDeleted', async () => {
      const records = await this.#collection<RecordDoc>(entity);
      let changed = 0;
      for (const part of chunk(ids, IDS_PER_QUERY)) {
        const result = await records.updateMany(
          { odooId: { $in: part }, inactiveReason: { $ne: 'deleted' } },
          { $set: { isActive: false, inactiveReason: 'deleted', deletedAt: at } },
        );
        changed += result.modifiedCount;
      }
      return changed;
    });
  }

  async listLiveIds(entity: EntityName): Promise<number[]> {
    assertEntity(entity);
    return this.#run('listLiveIds', async () => {
      const records = await this.#collection<RecordDoc>(entity);
      const docs = await records.find({ inactiveReason: { $ne: 'deleted' } }, { projection: ODOO_ID_PROJECTION }).sort({ odooId: 1 }).toArray();
      return docs.map((doc) => doc.odooId);
    });
  }

  async getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null> {
    assertEntity(entity);
    return this.#run('getRecord', async () => {
      const records = await this.#collection<RecordDoc>(entity);
      const doc = await records.findOne({ odooId });
      return doc ? toSyncedRecord(entity, doc) : null;
    });
  }

  async queryRecords(entity: EntityName, query: RecordQuery = {}): Promise<Page<SyncedRecord>> {
    assertEntity(entity);
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isIdCursor)[0] : 0;
    if (query.where) assertWhere(query.where);
    return this.#run('queryRecords', async () => {
      const records = await this.#collection<RecordDoc>(entity);
      const items: SyncedRecord[] = [];
      let last = after;
      // The filter finds candidates through indexes; the exact check in code may drop a few
      // (array and case-folding corner cases), so keep reading until the page is full.
      for (;;) {
        const want = limit + 1 - items.length;
        const docs = await records.find(recordFilter(query, last) as Filter<RecordDoc>).sort({ odooId: 1 }).limit(want).toArray();
        for (const doc of docs) {
          last = doc.odooId;
          if (matchesRecordQuery(doc.data, query)) items.push(toSyncedRecord(entity, doc));
        }
        if (items.length > limit || docs.length < want) break;
      }
      return pageOf(items, limit, (item) => item, (item) => [item.odooId]);
    });
  }

  async countRecords(entity: EntityName): Promise<RecordCounts> {
    assertEntity(entity);
    return this.#run('countRecords', async () => {
      const records = await this.#collection<RecordDoc>(entity);
      const [active, archived, deleted] = await Promise.all([
        records.countDocuments({ isActive: true }),
        records.countDocuments({ isActive: false, inactiveReason: { $ne: 'deleted' } }),
        records.countDocuments({ isActive: false, inactiveReason: 'deleted' }),
      ]);
      return { active, archived, deleted };
    });
  }

  async getCursor(entity: EntityName): Promise<string | null> {
    assertEntity(entity);
    return this.#run('getCursor', async () => {
      const cursors = await this.#collection<CursorDoc>(MONGO_COLLECTIONS.syncCursors);
      return (await cursors.findOne({ _id: entity }))?.cursor ?? null;
    });
  }

  async setCursor(entity: EntityName, cursor: string | null): Promise<void> {
    assertEntity(entity);
    await this.#run('setCursor', async () => {
      const cursors = await this.#collection<CursorDoc>(MONGO_COLLECTIONS.syncCursors);
      if (cursor === null) await cursors.deleteOne({ _id: entity });
      else await cursors.replaceOne({ _id: entity }, { cursor }, { upsert: true });
    });
  }

  // --- SyncLogStore ----------------------------------------------------------------------------

  async appendSyncLog(entry: SyncLogEntry): Promise<void> {
    const doc = toSyncLogDoc(entry);
    await this.#run('appendSyncLog', async () => {
      const logs = await this.#collection<SyncLogDoc>(MONGO_COLLECTIONS.syncLogs);
      const { _id, ...fields } = doc;
      await logs.replaceOne({ _id }, fields, { upsert: true });
    });
  }

  async listSyncLogs(query: SyncLogQuery = {}): Promise<Page<SyncLogEntry>> {
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const conditions: Filter<Document>[] = [];
    if (query.entity !== undefined) conditions.push({ entity: query.entity });
    if (query.status !== undefined) conditions.push({ status: query.status });
    if (query.runId !== undefined) conditions.push({ runId: query.runId });
    if (query.from !== undefined) conditions.push({ startedAt: { $gte: query.from } });
    if (query.to !== undefined) conditions.push({ startedAt: { $lt: query.to } });
    if (after) conditions.push(keysetAfter('startedAt', cursorTime(after[0]), after[1], -1));
    return this.#run('listSyncLogs', async () => {
      const logs = await this.#collection<SyncLogDoc>(MONGO_COLLECTIONS.syncLogs);
      const docs = await logs
        .find(and(conditions) as Filter<SyncLogDoc>)
        .sort({ startedAt: -1, _id: -1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, toSyncLogEntry, (item) => [item.startedAt, item.id]);
    });
  }

  async latestSyncLog(entity: EntityName, status?: SyncStatus): Promise<SyncLogEntry | null> {
    const page = await this.listSyncLogs({ entity, ...(status === undefined ? {} : { status }), limit: 1 });
    return page.items[0] ?? null;
  }

  async pruneSyncLogs(before: Date): Promise<number> {
    return this.#run('pruneSyncLogs', async () => {
      const logs = await this.#collection<SyncLogDoc>(MONGO_COLLECTIONS.syncLogs);
      return (await logs.deleteMany({ startedAt: { $lt: before } })).deletedCount;
    });
  }

  // --- SettingsStore ---------------------------------------------------------------------------

  async getSetting(key: string): Promise<JsonValue | undefined> {
    return this.#run('getSetting', async () => {
      const settings = await this.#collection<SettingDoc>(MONGO_COLLECTIONS.settings);
      const doc = await settings.findOne({ _id: key });
      return doc === null ? undefined : doc.value;
    });
  }

  async setSetting(key: string, value: JsonValue): Promise<void> {
    await this.#run('setSetting', async () => {
      const settings = await this.#collection<SettingDoc>(MONGO_COLLECTIONS.settings);
      await settings.replaceOne({ _id: key }, { value }, { upsert: true });
    });
  }

  // --- LockStore -------------------------------------------------------------------------------

  async acquireLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const lease: Lease = { name, owner, expiresAt: expiresAt.toISOString() };
    return this.#run('acquireLease', async () => {
      const locks = await this.#collection<LockDoc>(MONGO_COLLECTIONS.locks);
      try {
        // Matches a lease that is ours or expired; when none matches, the upsert tries to insert
        // `_id: name`, which fails with a duplicate key if another owner holds it: exactly one
        // of any number of concurrent callers wins.
        const doc = await locks.findOneAndUpdate(
          { _id: name, $or: [{ owner }, { expiresAt: { $lte: now } }] },
          { $set: { owner, expiresAt } },
          { upsert: true, returnDocument: 'after' },
        );
        return doc?.owner === owner ? lease : null;
      } catch (err) {
        if (isDuplicateKeyError(err)) return null;
        throw err;
      }
    });
  }

  async renewLease(name: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const lease: Lease = { name, owner, expiresAt: expiresAt.toISOString() };
    return this.#run('renewLease', async () => {
      const locks = await this.#collection<LockDoc>(MONGO_COLLECTIONS.locks);
      const doc = await locks.findOneAndUpdate({ _id: name, owner }, { $set: { expiresAt } }, { returnDocument: 'after' });
      return doc ? lease : null;
    });
  }

  async takeOverLease(name: string, previousOwner: string, owner: string, ttlMs: number, now: Date): Promise<Lease | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const lease: Lease = { name, owner, expiresAt: expiresAt.toISOString() };
    return this.#run('takeOverLease', async () => {
      const locks = await this.#collection<LockDoc>(MONGO_COLLECTIONS.locks);
      // Compare-and-set on the holder: one atomic document update, so of two processes taking
      // over one dead holder only the first matches.
      const doc = await locks.findOneAndUpdate({ _id: name, owner: previousOwner }, { $set: { owner, expiresAt } }, { returnDocument: 'after' });
      return doc?.owner === owner ? lease : null;
    });
  }

  async releaseLease(name: string, owner: string): Promise<boolean> {
    return this.#run('releaseLease', async () => {
      const locks = await this.#collection<LockDoc>(MONGO_COLLECTIONS.locks);
      return (await locks.deleteOne({ _id: name, owner })).deletedCount === 1;
    });
  }

  async getLease(name: string, now: Date): Promise<Lease | null> {
    return this.#run('getLease', async () => {
      const locks = await this.#collection<LockDoc>(MONGO_COLLECTIONS.locks);
      const doc = await locks.findOne({ _id: name, expiresAt: { $gt: now } });
      return doc ? { name, owner: doc.owner, expiresAt: doc.expiresAt.toISOString() } : null;
    });
  }

  // --- UserStore -------------------------------------------------------------------------------

  async createUser(user: NewUser, at: Date): Promise<User> {
    const { id, ...fields } = createdUser(user, at);
    const doc: UserDoc = {
      ...fields,
      _id: id,
      emailKey: emailKey(fields.email),
      ...(fields.identity ? { identityKey: identityKey(fields.identity) } : {}),
      createdAt: at,
      updatedAt: at,
    };
    return this.#run('createUser', async () => {
      const users = await this.#collection<UserDoc>(MONGO_COLLECTIONS.users);
      if (doc.identityKey !== undefined && (await users.findOne({ identityKey: doc.identityKey }, { projection: { _id: 1 } }))) {
        throw new ConflictError('A user with this identity already exists.');
      }
      try {
        await users.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError(
          isDuplicateIdError(err) ? `A user with id ${user.id} already exists.` : `A user with this ${duplicateUserField(err)} already exists.`,
          { cause: err },
        );
      }
      return toUser(doc);
    });
  }

  async getUserByIdentity(identity: UserIdentity): Promise<User | null> {
    return this.#run('getUserByIdentity', async () => {
      const users = await this.#collection<UserDoc>(MONGO_COLLECTIONS.users);
      const doc = await users.findOne({ identityKey: identityKey(identity) });
      return doc ? toUser(doc) : null;
    });
  }

  async getUser(id: string): Promise<User | null> {
    return this.#run('getUser', async () => {
      const users = await this.#collection<UserDoc>(MONGO_COLLECTIONS.users);
      const doc = await users.findOne({ _id: id });
      return doc ? toUser(doc) : null;
    });
  }

  async getUserByEmail(email: string): Promise<User | null> {
    return this.#run('getUserByEmail', async () => {
      const users = await this.#collection<UserDoc>(MONGO_COLLECTIONS.users);
      const doc = await users.findOne({ emailKey: emailKey(email) });
      return doc ? toUser(doc) : null;
    });
  }

  async updateUser(id: string, patch: UserPatch, at: Date): Promise<User> {
    const set: Partial<UserDoc> = { updatedAt: at };
    if (patch.email !== undefined) {
      set.email = patch.email.trim();
      set.emailKey = emailKey(patch.email);
    }
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.odooLink !== undefined) set.odooLink = patch.odooLink;
    if (patch.otherEmails !== undefined) set.otherEmails = [...patch.otherEmails];
    if (patch.reauthRequired !== undefined) set.reauthRequired = patch.reauthRequired;
    const unset: { identityKey?: '' } = {};
    if (patch.identity === null) {
      set.identity = null;
      unset.identityKey = '';
    } else if (patch.identity !== undefined) {
      set.identity = normalizedIdentity(patch.identity);
      set.identityKey = identityKey(patch.identity);
    }
    return this.#run('updateUser', async () => {
      const users = await this.#collection<UserDoc>(MONGO_COLLECTIONS.users);
      if (set.identityKey !== undefined && (await users.findOne({ identityKey: set.identityKey, _id: { $ne: id } }, { projection: { _id: 1 } }))) {
        throw new ConflictError('A user with this identity already exists.');
      }
      let doc: UserDoc | null;
      try {
        doc = await users.findOneAndUpdate(
          { _id: id },
          { $set: set, ...(unset.identityKey === undefined ? {} : { $unset: unset }) },
          { returnDocument: 'after' },
        );
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new ConflictError(`A user with this ${duplicateUserField(err)} already exists.`, { cause: err });
        throw err;
      }
      if (!doc) throw new NotFoundError(`No user with id ${id}.`);
      return toUser(doc);
    });
  }

  async listUsers(query: UserQuery = {}): Promise<Page<User>> {
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const conditions: Filter<Document>[] = [];
    if (query.status !== undefined) conditions.push({ status: query.status });
    if (query.role !== undefined) conditions.push({ role: query.role });
    if (after) conditions.push(keysetAfter('createdAt', cursorTime(after[0]), after[1], 1));
    return this.#run('listUsers', async () => {
      const users = await this.#collection<UserDoc>(MONGO_COLLECTIONS.users);
      const docs = await users
        .find(and(conditions) as Filter<UserDoc>)
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, toUser, (item) => [item.createdAt, item.id]);
    });
  }

  async countUsers(query: Pick<UserQuery, 'status' | 'role'> = {}): Promise<number> {
    const filter: Filter<UserDoc> = {};
    if (query.status !== undefined) filter.status = query.status;
    if (query.role !== undefined) filter.role = query.role;
    return this.#run('countUsers', async () => {
      const users = await this.#collection<UserDoc>(MONGO_COLLECTIONS.users);
      return users.countDocuments(filter);
    });
  }

  async createApiKey(key: ApiKey): Promise<ApiKey> {
    const doc = toApiKeyDoc(key);
    return this.#run('createApiKey', async () => {
      const keys = await this.#collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      try {
        await keys.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        throw new ConflictError(
          isDuplicateIdError(err) ? `An API key with id ${key.id} already exists.` : 'An API key with this hash already exists.',
          { cause: err },
        );
      }
      return toApiKey(doc);
    });
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKey | null> {
    return this.#run('findApiKeyByHash', async () => {
      const keys = await this.#collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      const doc = await keys.findOne({ keyHash: { $eq: keyHash }, revokedAt: null });
      return doc ? toApiKey(doc) : null;
    });
  }

  async listApiKeys(userId: string): Promise<ApiKey[]> {
    return this.#run('listApiKeys', async () => {
      const keys = await this.#collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      const docs = await keys.find({ userId: { $eq: userId } }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(toApiKey);
    });
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    await this.#run('touchApiKey', async () => {
      const keys = await this.#collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      await keys.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
    });
  }

  async revokeApiKey(id: string, at: Date): Promise<boolean> {
    return this.#run('revokeApiKey', async () => {
      const keys = await this.#collection<ApiKeyDoc>(MONGO_COLLECTIONS.apiKeys);
      return (await keys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } })).matchedCount === 1;
    });
  }

  // --- ActivityStore ---------------------------------------------------------------------------

  async appendActivities(activities: readonly Activity[]): Promise<void> {
    // The first copy of an id wins, as in MemoryStore.
    const firsts = new Map<string, ActivityDoc>();
    for (const activity of activities) if (!firsts.has(activity.id)) firsts.set(activity.id, toActivityDoc(activity));
    if (firsts.size === 0) return;
    await this.#run('appendActivities', async () => {
      const collection = await this.#collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
      const insertOnly = (doc: ActivityDoc) => {
        const { _id, ...fields } = doc;
        return { updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true } };
      };
      await writeBatches(collection, [...firsts.values()], {
        batchSize: this.#batchSize,
        // Stored ids are left as they are; the rest are inserted.
        plan: async (batch) => {
          const found = await collection.find({ _id: { $in: batch.map((doc) => doc._id) } }, { projection: { _id: 1 } }).toArray();
          const stored = new Set(found.map((doc) => doc._id));
          return batch.filter((doc) => !stored.has(doc._id)).map((document) => ({ insertOne: { document } }));
        },
        replan: (batch) => batch.map(insertOnly),
      });
    });
  }

  async queryActivities(query: ActivityQuery = {}): Promise<Page<Activity>> {
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isPairCursor) : null;
    const conditions: Filter<Document>[] = [];
    if (query.activityType !== undefined) conditions.push({ activityType: { $eq: query.activityType } });
    if (query.entityType !== undefined) conditions.push({ entityType: { $eq: query.entityType } });
    if (query.entityId !== undefined) conditions.push({ entityId: { $eq: query.entityId } });
    if (query.userId !== undefined) conditions.push({ userId: { $eq: query.userId } });
    if (query.from !== undefined) conditions.push({ timestamp: { $gte: query.from } });
    if (query.to !== undefined) conditions.push({ timestamp: { $lt: query.to } });
    if (after) conditions.push(keysetAfter('timestamp', cursorTime(after[0]), after[1], -1));
    return this.#run('queryActivities', async () => {
      const collection = await this.#collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
      const docs = await collection
        .find(and(conditions) as Filter<ActivityDoc>)
        .sort({ timestamp: -1, _id: -1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, toActivity, (item) => [item.timestamp, item.id]);
    });
  }

  async purgeActivities(before: Date): Promise<number> {
    return this.#run('purgeActivities', async () => {
      const collection = await this.#collection<ActivityDoc>(MONGO_COLLECTIONS.activities);
      return (await collection.deleteMany({ timestamp: { $lt: before } })).deletedCount;
    });
  }

  // --- TokenStore ------------------------------------------------------------------------------

  async getToken(key: string): Promise<TokenEntry | null> {
    return this.#run('getToken', async () => {
      const tokens = await this.#collection<TokenDoc>(MONGO_COLLECTIONS.tokens);
      const doc = await tokens.findOne({ _id: key });
      return doc ? toTokenEntry(doc) : null;
    });
  }

  async putToken(
    key: string,
    value: { blob: string; expiresAt: string | null },
    expectedVersion: number | null,
    at: Date,
  ): Promise<TokenEntry> {
    const expiresAt = value.expiresAt === null ? null : parseTime(value.expiresAt, 'expiresAt');
    const conflict = (cause?: unknown) =>
      new ConflictError(`The token entry changed since it was read (expected version ${String(expectedVersion)}).`, {
        retryable: true,
        ...(cause === undefined ? {} : { cause }),
      });
    return this.#run('putToken', async () => {
      const tokens = await this.#collection<TokenDoc>(MONGO_COLLECTIONS.tokens);
      if (expectedVersion === null) {
        const doc: TokenDoc = { _id: key, blob: value.blob, version: 1, expiresAt, updatedAt: at };
        try {
          await tokens.insertOne(doc);
        } catch (err) {
          if (isDuplicateKeyError(err)) throw conflict(err);
          throw err;
        }
        return toTokenEntry(doc);
      }
      // Compare-and-set: the version in the filter makes the write conditional and atomic.
      const doc = await tokens.findOneAndUpdate(
        { _id: key, version: expectedVersion },
        { $set: { blob: value.blob, expiresAt, updatedAt: at, version: expectedVersion + 1 } },
        { returnDocument: 'after' },
      );
      if (!doc) throw conflict();
      return toTokenEntry(doc);
    });
  }

  async deleteToken(key: string): Promise<boolean> {
    return this.#run('deleteToken', async () => {
      const tokens = await this.#collection<TokenDoc>(MONGO_COLLECTIONS.tokens);
      return (await tokens.deleteOne({ _id: key })).deletedCount === 1;
    });
  }

  async listTokensExpiringBefore(before: Date, limit: number): Promise<TokenEntry[]> {
    if (!(limit >= 1)) return [];
    return this.#run('listTokensExpiringBefore', async () => {
      const tokens = await this.#collection<TokenDoc>(MONGO_COLLECTIONS.tokens);
      let cursor = tokens.find({ expiresAt: { $ne: null, $lt: before } }).sort({ expiresAt: 1, _id: 1 });
      if (Number.isFinite(limit)) cursor = cursor.limit(Math.floor(limit));
      return (await cursor.toArray()).map(toTokenEntry);
    });
  }
}
