/**
 * The record port on MongoDB: one collection per entity (named after it) and each entity's
 * sync cursor (`sync_cursors`).
 * @module
 */
import type { EntityName, RecordQuery, RecordStore, SyncedRecord } from '@odoo-sync/core';
import type { Page, RecordCounts, RecordWrite, StoredState } from '@odoo-sync/core/store-kit';
import { decodeCursor, isIdCursor, pageLimit, pageOf } from '@odoo-sync/core/store-kit';
import { InputError } from '@odoo-sync/core/errors';
import type { Filter } from 'mongodb';
import { chunk, writeBatches } from './bulk.js';
import { MONGO_COLLECTIONS, isEntityCollection } from './collections.js';
import type { MongoConnection } from './connection.js';
import type { CursorDoc, RecordDoc } from './documents.js';
import { assertOdooIds, newRecordDoc, recordUpsert, toSyncedRecord } from './documents.js';
import { assertWhere, matchesRecordQuery, recordFilter } from './record-filters.js';

/** Ids per `$in` query or `updateMany`: a page of ids is one query; huge lists stay under BSON limits. */
const IDS_PER_QUERY = 10_000;

const RECORD_STATE_PROJECTION = { _id: 0, odooId: 1, hash: 1, isActive: 1, inactiveReason: 1 } as const;
const ODOO_ID_PROJECTION = { _id: 0, odooId: 1 } as const;

const ENTITY_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** Any entity name (its records get a collection of that name) except the store's own collections. */
function assertEntity(entity: EntityName): void {
  if (!ENTITY_NAME.test(entity) || !isEntityCollection(entity)) {
    throw new InputError(`Unknown entity "${entity}": an entity name is lower-case letters, digits and _, and not one of MongoStore's own collections.`, [
      { path: 'entity', message: 'not an entity name' },
    ]);
  }
}

/** {@link RecordStore} over a shared {@link MongoConnection}. */
export class MongoRecords implements RecordStore {
  readonly #conn: MongoConnection;

  /** Works on the collections of `connection`. */
  constructor(connection: MongoConnection) {
    this.#conn = connection;
  }

  /** @inheritDoc */
  async getStates(entity: EntityName, ids: readonly number[]): Promise<Map<number, StoredState>> {
    assertEntity(entity);
    return this.#conn.run('getStates', async () => {
      const records = await this.#conn.collection<RecordDoc>(entity);
      const out = new Map<number, StoredState>();
      for (const part of chunk(ids, IDS_PER_QUERY)) {
        const docs = await records.find({ odooId: { $in: part } }, { projection: RECORD_STATE_PROJECTION }).toArray();
        for (const doc of docs) out.set(doc.odooId, { hash: doc.hash, isActive: doc.isActive, inactiveReason: doc.inactiveReason ?? null });
      }
      return out;
    });
  }

  /** @inheritDoc */
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
    await this.#conn.run('upsertRecords', async () => {
      const records = await this.#conn.collection<RecordDoc>(entity);
      await writeBatches(records, [...latest.values()], {
        batchSize: this.#conn.batchSize,
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
          this.#conn.logger.warn(
            { entity, batchIndex, err: this.#conn.scrub(error) },
            'mongo-store: records were inserted concurrently; batch written again as upserts',
          ),
      });
    });
  }

  /** @inheritDoc */
  async markDeleted(entity: EntityName, ids: readonly number[], at: Date): Promise<number> {
    assertEntity(entity);
    if (ids.length === 0) return 0;
    return this.#conn.run('markDeleted', async () => {
      const records = await this.#conn.collection<RecordDoc>(entity);
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

  /** @inheritDoc */
  async listLiveIds(entity: EntityName): Promise<number[]> {
    assertEntity(entity);
    return this.#conn.run('listLiveIds', async () => {
      const records = await this.#conn.collection<RecordDoc>(entity);
      const docs = await records.find({ inactiveReason: { $ne: 'deleted' } }, { projection: ODOO_ID_PROJECTION }).sort({ odooId: 1 }).toArray();
      return docs.map((doc) => doc.odooId);
    });
  }

  /** @inheritDoc */
  async getRecord(entity: EntityName, odooId: number): Promise<SyncedRecord | null> {
    assertEntity(entity);
    return this.#conn.run('getRecord', async () => {
      const records = await this.#conn.collection<RecordDoc>(entity);
      const doc = await records.findOne({ odooId });
      return doc ? toSyncedRecord(entity, doc) : null;
    });
  }

  /** @inheritDoc */
  async queryRecords(entity: EntityName, query: RecordQuery = {}): Promise<Page<SyncedRecord>> {
    assertEntity(entity);
    const limit = pageLimit(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, isIdCursor)[0] : 0;
    if (query.where) assertWhere(query.where);
    return this.#conn.run('queryRecords', async () => {
      const records = await this.#conn.collection<RecordDoc>(entity);
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

  /** @inheritDoc */
  async countRecords(entity: EntityName): Promise<RecordCounts> {
    assertEntity(entity);
    return this.#conn.run('countRecords', async () => {
      const records = await this.#conn.collection<RecordDoc>(entity);
      const [active, archived, deleted] = await Promise.all([
        records.countDocuments({ isActive: true }),
        records.countDocuments({ isActive: false, inactiveReason: { $ne: 'deleted' } }),
        records.countDocuments({ isActive: false, inactiveReason: 'deleted' }),
      ]);
      return { active, archived, deleted };
    });
  }

  /** @inheritDoc */
  async getCursor(entity: EntityName): Promise<string | null> {
    assertEntity(entity);
    return this.#conn.run('getCursor', async () => {
      const cursors = await this.#conn.collection<CursorDoc>(MONGO_COLLECTIONS.syncCursors);
      return (await cursors.findOne({ _id: entity }))?.cursor ?? null;
    });
  }

  /** @inheritDoc */
  async setCursor(entity: EntityName, cursor: string | null): Promise<void> {
    assertEntity(entity);
    await this.#conn.run('setCursor', async () => {
      const cursors = await this.#conn.collection<CursorDoc>(MONGO_COLLECTIONS.syncCursors);
      if (cursor === null) await cursors.deleteOne({ _id: entity });
      else await cursors.replaceOne({ _id: entity }, { cursor }, { upsert: true });
    });
  }
}
